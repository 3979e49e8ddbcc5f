#include "base/rate_text.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(FormatRate, OneDecimalTwoBelowATenth) {
  struct Case { double in; const char* plain; const char* sign; } cases[] = {
      {3, "3.0", "+3.0"},      {0.5, "0.5", "+0.5"},       {0.1, "0.1", "+0.1"},
      {0.05, "0.05", "+0.05"}, {0, "0.0", "+0.0"},         {-1.25, "-1.2", "-1.2"},
      {-0.04, "-0.04", "-0.04"}, {12.345, "12.3", "+12.3"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatRate(c.in), c.plain) << c.in;
    EXPECT_EQ(FormatSignedRate(c.in), c.sign) << c.in;
  }
}

}  // namespace
}  // namespace leakprobe
