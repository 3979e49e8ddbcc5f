#include "harness/crash_detail.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(TailLines, WholeLinesWithinBothLimits) {
  struct {
    const char* text;
    size_t lines, bytes;
    const char* want;
  } cases[] = {
      {"a\nb\nc\n", 2, 100, "b\nc\n"},
      {"a\nb\nc", 2, 100, "b\nc"},
      {"a\nb\nc\n", 10, 100, "a\nb\nc\n"},
      {"first line\nsecond\n", 10, 10, "second\n"},  // the line cut by the byte limit is left out
      {"", 5, 100, ""},
  };
  for (const auto& c : cases) EXPECT_EQ(TailLines(c.text, c.lines, c.bytes), c.want) << c.text;
}

TEST(CrashDetail, ThePanicItsGoroutinesAndTheEndOfStderr) {
  const std::string err =
      "minipouchd listening on 127.0.0.1:8080\n"
      "panic: boom\n"
      "\n"
      "goroutine 7 [running]:\n"
      "main.(*Server).crash(0x1)\n"
      "\t/src/crash.go:12 +0x1d\n"
      "created by net/http.(*Server).Serve in goroutine 1\n"
      "\t/usr/lib/go/src/net/http/server.go:3102 +0x4b\n"
      "exit status 2\n";
  const std::string detail = CrashDetail(err);
  EXPECT_EQ(detail.rfind("The target said: panic: boom\n", 0), 0u) << detail;
  EXPECT_NE(detail.find("Its goroutines at the end (1, from its stderr), grouped by identical stack:\n\n"
                        "1 goroutine [running], id 7\n"
                        "    main.(*Server).crash(...)\n"),
            std::string::npos)
      << detail;
  EXPECT_NE(detail.find("The end of its stderr:\nminipouchd listening on 127.0.0.1:8080\npanic: boom\n"),
            std::string::npos)
      << detail;
}

TEST(CrashDetail, QuietDeathIsJustTheTail) {
  EXPECT_EQ(CrashDetail("bye\n"), "The end of its stderr:\nbye\n");
  EXPECT_EQ(CrashDetail(""), "");
}

}  // namespace
}  // namespace leakprobe
