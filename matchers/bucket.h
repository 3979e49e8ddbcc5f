// Bucketing as panicparse does it: goroutines whose stacks are the same but for argument
// values and pointers share a bucket, with a count, their ids and the range of their wait
// times. Pure; no I/O; a Bucketer is not thread-safe.
#ifndef LEAKPROBE_MATCHERS_BUCKET_H_
#define LEAKPROBE_MATCHERS_BUCKET_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "matchers/goroutine.h"

namespace leakprobe {

struct Bucket {
  Goroutine sample;           // the first goroutine seen; others differ only in arguments
  int64_t count = 0;          // goroutines in the bucket (debug=1 records add their count)
  std::vector<int64_t> ids;   // ascending; empty for debug=1 dumps, which carry no ids
  std::vector<int> waits;     // the wait minutes of each id, in the order of ids
  int min_wait_minutes = 0;
  int max_wait_minutes = 0;
};

// The identity of a stack: state, lock, each frame's function, file and line, created-by.
// Arguments are left out on purpose: they are pointers that differ per goroutine.
std::string StackKey(const Goroutine& g);

class Bucketer {
 public:
  // Adds `g`; moves from it when it opens a new bucket.
  void Add(Goroutine& g);
  // The buckets, largest first; equal counts by their top frame's function, then by the
  // whole stack (StackKey), never by the order seen. Leaves it empty.
  std::vector<Bucket> Take();

 private:
  std::unordered_map<std::string, size_t> index_;
  std::vector<Bucket> buckets_;
  std::string key_;  // reused between calls
};

std::vector<Bucket> BucketGoroutines(std::vector<Goroutine> goroutines);

// Sorts as Bucketer::Take does (for buckets gathered from several bucketers).
void SortBuckets(std::vector<Bucket>* buckets);
// Puts a bucket's ids in ascending order, their waits with them.
void SortIds(Bucket* b);

// A bucket for people, e.g.
//   2 goroutines [chan receive, 0-3 minutes], ids 34, 35
//     main.(*Server).logsContainer(...)
//         /src/minipouchd/logs.go:42
//     created by net/http.(*Server).Serve in goroutine 1
//         /usr/lib/go/src/net/http/server.go:3102
std::string FormatBucket(const Bucket& b);

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_BUCKET_H_
