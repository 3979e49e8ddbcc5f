// A dump read straight into buckets as it streams: what `run` keeps of each dump it takes.
// Goroutines that share a stack (StackKey) share a bucket, so memory grows with the distinct
// stacks plus 12 bytes a goroutine (its id and wait), not with the dump's text: an endless or
// huge dump of a real server stays small. Pure; no I/O; not thread-safe while it is filled,
// a finished GroupedDump is a plain value.
#ifndef LEAKPROBE_MATCHERS_GROUPED_DUMP_H_
#define LEAKPROBE_MATCHERS_GROUPED_DUMP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "matchers/bucket.h"
#include "matchers/dump_parser.h"
#include "matchers/id_set.h"

namespace leakprobe {

struct GroupedDump {
  std::vector<Bucket> buckets;        // in Bucketer::Take's order
  std::vector<std::string> warnings;  // what cut the read short (the reader's), then the parser's
  int64_t declared_total = -1;        // debug=1 "goroutine profile: total N"; -1 without
  std::string format;                 // "debug=2", "debug=1" or ""

  // Goroutines read, counting each debug=1 record as its count.
  int64_t Total() const;
  // The ids of every goroutine (none for debug=1).
  IdSet Ids() const;
  // The ids of the goroutines the Go runtime marked leaked.
  IdSet LeakedIds() const;
  // Goroutines the runtime marked leaked, counted.
  int64_t LeakedCount() const;
};

// Feed parser() the dump's bytes, then Finish().
class DumpGrouper {
 public:
  DumpGrouper();
  DumpGrouper(const DumpGrouper&) = delete;
  DumpGrouper& operator=(const DumpGrouper&) = delete;

  DumpParser* parser() { return &parser_; }
  // Finishes the parse and hands over what was read; `reader_warnings` (e.g. "cut at the
  // 256 MiB cap") go first.
  GroupedDump Finish(std::vector<std::string> reader_warnings = {});

 private:
  Bucketer bucketer_;
  DumpParser parser_;
};

// The whole of `text`, grouped.
GroupedDump GroupDump(std::string_view text);
// A parsed dump, grouped (copies its goroutines).
GroupedDump GroupDump(const Dump& dump);

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_GROUPED_DUMP_H_
