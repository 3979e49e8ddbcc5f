#include "wire/exec_process.h"

#include <gtest/gtest.h>

#include <chrono>

namespace leakprobe {
namespace {

ProcessResult MustRun(const ProcessSpec& spec) {
  Result<ProcessResult> r = RunProcess(spec);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? r.value() : ProcessResult();
}

TEST(RunProcess, ExitCodeStdoutAndStderrApart) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "echo out; echo err >&2; exit 3"};
  ProcessResult r = MustRun(spec);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
  EXPECT_EQ(r.Describe(), "exited with code 3");
}

TEST(RunProcess, EnvAndCwd) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "echo \"$LP_TEST_X\"; pwd"};
  spec.env = {{"LP_TEST_X", "hello"}};
  spec.cwd = "/tmp";
  EXPECT_EQ(MustRun(spec).out, "hello\n/tmp\n");
}

TEST(RunProcess, TimeoutKillsTheWholeGroup) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "sleep 30 & sleep 30"};
  spec.timeout = Millis(300);
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = MustRun(spec);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, 9);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  EXPECT_EQ(r.Describe().rfind("timed out after ", 0), 0u) << r.Describe();
}

TEST(RunProcess, ADaemonChildHoldingThePipesDoesNotHoldTheStep) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "sleep 5 & echo started"};
  auto start = std::chrono::steady_clock::now();
  ProcessResult r = MustRun(spec);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "started\n");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
}

TEST(RunProcess, OutputIsBounded) {
  ProcessSpec spec;
  spec.argv = {"sh", "-c", "head -c 100000 /dev/zero"};
  spec.max_output = 1000;
  ProcessResult r = MustRun(spec);
  EXPECT_EQ(r.out.size(), 1000u);
  EXPECT_EQ(r.out_bytes, 100000u);
}

TEST(RunProcess, CannotStart) {
  ProcessSpec spec;
  spec.argv = {"/no/such/leakprobe-cmd"};
  Result<ProcessResult> r = RunProcess(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot run \"/no/such/leakprobe-cmd\": No such file or directory");
  spec.argv = {"true"};
  spec.cwd = "/no/such/folder";
  r = RunProcess(spec);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "cannot enter folder \"/no/such/folder\": No such file or directory");
}

}  // namespace
}  // namespace leakprobe
