#include "matchers/bucket.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "matchers/dump_parser.h"

namespace leakprobe {
namespace {

// One goroutine as Go writes it: state, one frame at `file:line`, created at `created`.
std::string Goroutine(int id, const std::string& state, const std::string& func, const std::string& at,
                      const std::string& created) {
  return "goroutine " + std::to_string(id) + " [" + state + "]:\n" + func + "(0xc0)\n\t" + at +
         " +0x1\ncreated by main.(*Server).statsContainer\n\t" + created + " +0x2\n\n";
}

// "count x top function @ created-by location" for each bucket, in order.
std::vector<std::string> Order(const std::string& dump) {
  std::vector<std::string> out;
  for (const Bucket& b : BucketGoroutines(ParseDump(dump).goroutines)) {
    out.push_back(std::to_string(b.count) + "x " + b.sample.frames[0].func + " @" +
                  std::to_string(b.sample.created_by.line));
  }
  return out;
}

struct Case {
  const char* name;
  std::vector<std::string> goroutines;  // in the order the dump lists them
  std::vector<std::string> want;
};

TEST(SortBuckets, OrderDependsOnTheStacksNeverOnTheDump) {
  const std::string s36 = Goroutine(0, "select", "main.sampleStats", "/m/stats.go:74", "/m/stats.go:36");
  const std::string s37 = Goroutine(0, "select", "main.sampleStats", "/m/stats.go:74", "/m/stats.go:37");
  const std::string a = Goroutine(0, "chan receive", "main.a", "/m/a.go:1", "/m/stats.go:40");
  const std::string z = Goroutine(0, "chan receive", "main.z", "/m/z.go:1", "/m/stats.go:40");
  const Case cases[] = {
      {"larger first", {a, z, z}, {"2x main.z @40", "1x main.a @40"}},
      {"equal counts by top function", {z, a}, {"1x main.a @40", "1x main.z @40"}},
      // The flake this guards: two helpers started from neighbouring lines of one function,
      // equal in count, listed in whatever order the runtime walked them.
      {"same function, by creator's line", {s37, s36, s37, s36}, {"2x main.sampleStats @36", "2x main.sampleStats @37"}},
      {"same function, other dump order", {s36, s37, s36, s37}, {"2x main.sampleStats @36", "2x main.sampleStats @37"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::string dump;
    int id = 1;
    for (std::string g : c.goroutines) dump += g.replace(g.find(" 0 "), 3, " " + std::to_string(id++) + " ");
    EXPECT_EQ(Order(dump), c.want);
  }
}

TEST(SortBuckets, GatheredFromSeveralBucketersSortsAsTakeDoes) {
  std::string dump;
  for (int i = 0; i < 6; ++i) {
    dump += Goroutine(i + 1, "select", "main.sampleStats", "/m/stats.go:74", i % 2 ? "/m/stats.go:37" : "/m/stats.go:36");
  }
  std::vector<Bucket> taken = BucketGoroutines(ParseDump(dump).goroutines);
  std::vector<Bucket> gathered(taken.rbegin(), taken.rend());
  SortBuckets(&gathered);
  ASSERT_EQ(gathered.size(), taken.size());
  for (size_t i = 0; i < taken.size(); ++i) EXPECT_EQ(StackKey(gathered[i].sample), StackKey(taken[i].sample));
}

}  // namespace
}  // namespace leakprobe
