#include "base/byte_size.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(ByteSize, Forms) {
  struct Case {
    const char* text;
    uint64_t bytes;
  } cases[] = {
      {"0", 0},           {"4096", 4096},          {"100B", 100},
      {"512KiB", 524288}, {"256MiB", 268435456},   {"256 MiB", 268435456},
      {"1GiB", 1073741824}, {"1.5GiB", 1610612736}, {"64MB", 64000000},
      {"10kB", 10000},    {"8M", 8388608},         {"2k", 2048},
  };
  for (const Case& c : cases) {
    auto r = ParseByteSize(c.text);
    ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().message();
    EXPECT_EQ(r.value(), c.bytes) << c.text;
  }
}

TEST(ByteSize, Errors) {
  EXPECT_EQ(ParseByteSize("3 megs").status().message(), "bad size \"3 megs\" (write e.g. 64MiB, 512KiB, 1GiB)");
  for (const char* bad : {"", "MiB", "-1MiB", "1.MiB", "1.5", "12 34", "0x10"}) {
    EXPECT_FALSE(ParseByteSize(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseByteSize("2048GiB").status().message(), "size \"2048GiB\" is over 1 TiB");
}

TEST(ByteSize, Format) {
  EXPECT_EQ(FormatByteSize(1), "1 byte");
  EXPECT_EQ(FormatByteSize(100), "100 bytes");
  EXPECT_EQ(FormatByteSize(1536), "1.5 KiB");
  EXPECT_EQ(FormatByteSize(268435456), "256 MiB");
  EXPECT_EQ(FormatByteSize(uint64_t(3) << 30), "3 GiB");
}

}  // namespace
}  // namespace leakprobe
