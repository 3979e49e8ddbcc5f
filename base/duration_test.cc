#include "base/duration.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(ParseDuration, Units) {
  struct Case { const char* in; long long ms; } cases[] = {
      {"250ms", 250}, {"3s", 3000}, {"2m", 120000}, {"1h", 3600000},
      {"1m30s", 90000}, {"1.5s", 1500}, {"0", 0}, {"0s", 0},
  };
  for (const auto& c : cases) {
    auto r = ParseDuration(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.status().message();
    EXPECT_EQ(r.value().count(), c.ms) << c.in;
  }
}

TEST(ParseDuration, Errors) {
  for (const char* in : {"", "3", "3 sec", "s", "-1s", "1x", ".s", "3s "}) {
    auto r = ParseDuration(in);
    EXPECT_FALSE(r.ok()) << in;
  }
  EXPECT_EQ(ParseDuration("3 sec").status().message(),
            "bad duration \"3 sec\" (write e.g. 250ms, 3s, 2m)");
}

TEST(FormatDuration, RoundTrips) {
  EXPECT_EQ(FormatDuration(Millis(250)), "250ms");
  EXPECT_EQ(FormatDuration(Millis(3000)), "3s");
  EXPECT_EQ(FormatDuration(Millis(1500)), "1.5s");
}

TEST(FormatSpan, ToTheSecond) {
  const std::pair<int64_t, const char*> cases[] = {
      {0, "0s"}, {499, "0s"}, {500, "1s"}, {45'000, "45s"}, {59'600, "1m00s"}, {136'000, "2m16s"},
      {3'599'000, "59m59s"}, {3'720'000, "1h02m"}, {90'000'000, "25h00m"},
  };
  for (const auto& [ms, want] : cases) EXPECT_EQ(FormatSpan(Millis(ms)), want) << ms;
}

}  // namespace
}  // namespace leakprobe
