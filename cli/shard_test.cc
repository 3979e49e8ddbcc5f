#include "cli/shard.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace leakprobe {
namespace {

TEST(ParseShard, ValidAndInvalid) {
  auto s = ParseShard("2/4");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 2);
  EXPECT_EQ(s->count, 4);
  for (const char* bad : {"0/4", "5/4", "1/0", "1", "a/b", "-1/2", "1/2/3", "", "/", "1e3/2000000"}) {
    auto r = ParseShard(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().message(),
              std::string("--shard ") + bad + ": write I/N with 1 <= I <= N, e.g. 2/4");
  }
}

std::vector<Suite> Suites(const std::vector<int>& sizes) {
  std::vector<Suite> suites;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    Suite suite;
    suite.name = "s" + std::to_string(i);
    for (int k = 0; k < sizes[i]; ++k) {
      Scenario scenario;
      scenario.name = "c" + std::to_string(k);
      suite.scenarios.push_back(scenario);
    }
    suites.push_back(suite);
  }
  return suites;
}

// Every scenario in exactly one shard, balanced, for many shapes and counts.
TEST(ApplyShard, PartitionsEveryScenarioExactlyOnce) {
  const std::vector<std::vector<int>> shapes = {{1}, {5}, {3, 0, 4}, {1, 1, 1, 1, 1, 1, 1}, {10, 2}};
  auto all = [](const Suite&, const Scenario&) { return true; };
  auto odd = [](const Suite&, const Scenario& s) { return (s.name.back() - '0') % 2 == 1; };
  for (const auto& shape : shapes) {
    for (int n = 1; n <= 6; ++n) {
      for (bool filtered : {false, true}) {
        std::map<std::string, int> seen;
        std::vector<std::size_t> sizes;
        for (int i = 1; i <= n; ++i) {
          std::vector<Suite> suites = Suites(shape);
          if (filtered) ApplyShard(Shard{i, n}, odd, &suites);
          else ApplyShard(Shard{i, n}, all, &suites);
          std::size_t size = 0;
          for (const Suite& suite : suites) {
            for (const Scenario& scenario : suite.scenarios) {
              if (filtered && !odd(suite, scenario)) continue;
              ++seen[suite.name + "/" + scenario.name];
              ++size;
            }
          }
          sizes.push_back(size);
        }
        int total = 0;
        for (const auto& [key, times] : seen) {
          EXPECT_EQ(times, 1) << key << " with " << n << " shards";
          ++total;
        }
        int want = 0;
        for (const Suite& suite : Suites(shape)) {
          for (const Scenario& scenario : suite.scenarios) want += !filtered || odd(suite, scenario);
        }
        EXPECT_EQ(total, want);
        auto [lo, hi] = std::minmax_element(sizes.begin(), sizes.end());
        EXPECT_LE(*hi - *lo, 1u);
      }
    }
  }
}

TEST(ApplyShard, DealsRoundRobinInRunOrder) {
  std::vector<Suite> suites = Suites({3, 2});
  ApplyShard(Shard{2, 2}, [](const Suite&, const Scenario&) { return true; }, &suites);
  ASSERT_EQ(suites.size(), 2u);
  EXPECT_EQ(suites[0].scenarios.size(), 1u);
  EXPECT_EQ(suites[0].scenarios[0].name, "c1");
  EXPECT_EQ(suites[1].scenarios[0].name, "c0");
}

}  // namespace
}  // namespace leakprobe
