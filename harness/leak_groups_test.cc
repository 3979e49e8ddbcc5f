#include "harness/leak_groups.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(LeakGroupsOf, OneGroupPerBucket) {
  Bucket b;
  b.sample.id = 25;
  b.sample.state = "chan receive";
  b.sample.frames = {{"runtime.gopark", "", "/usr/lib/go/src/runtime/proc.go", 363, false},
                     {"main.(*Server).logsContainer", "...", "/src/logs.go", 67, true},
                     {"main.noLocation", "", "", 0, false}};
  b.sample.has_created_by = true;
  b.sample.created_by = {"net/http.(*Server).Serve", "", "/usr/lib/go/src/net/http/server.go", 3102, false};
  b.count = 2;
  b.ids = {25, 31};
  b.min_wait_minutes = 1;
  b.max_wait_minutes = 3;
  Bucket debug1;
  debug1.sample.frames = {{"main.readLoop", "", "/src/logs.go", 108, false}};
  debug1.count = 7;

  const std::vector<LeakGroup> groups = LeakGroupsOf({b, debug1});
  ASSERT_EQ(groups.size(), 2u);
  const LeakGroup& g = groups[0];
  EXPECT_EQ(g.function, "main.(*Server).logsContainer");
  EXPECT_EQ(g.count, 2);
  EXPECT_EQ(g.ids, (std::vector<int64_t>{25, 31}));
  EXPECT_EQ(g.state, "chan receive");
  EXPECT_EQ(g.wait_minutes, 3);
  EXPECT_EQ(g.stack, (std::vector<std::string>{
                         "runtime.gopark /usr/lib/go/src/runtime/proc.go:363",
                         "main.(*Server).logsContainer /src/logs.go:67", "main.noLocation"}));
  EXPECT_EQ(g.created_by, "net/http.(*Server).Serve /usr/lib/go/src/net/http/server.go:3102");
  EXPECT_EQ(g.created_during, "");
  EXPECT_EQ(groups[1].function, "main.readLoop");
  EXPECT_EQ(groups[1].count, 7);
  EXPECT_TRUE(groups[1].ids.empty());
  EXPECT_EQ(groups[1].created_by, "");
}

}  // namespace
}  // namespace leakprobe
