#include "reports/junit.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace leakprobe {
namespace {

namespace fs = std::filesystem;
using Outcome = CaseResult::Outcome;

CaseResult MakeCase(std::string classname, std::string name, double seconds, Outcome outcome) {
  CaseResult c;
  c.classname = std::move(classname);
  c.name = std::move(name);
  c.seconds = seconds;
  c.outcome = outcome;
  return c;
}

RunResult FixedRun() {
  SuiteResult logs;
  logs.name = "logs-follow";
  logs.file = "examples/logs.yaml";
  logs.seconds = 5.4;
  logs.timestamp = "2026-11-28T07:15:09";
  logs.properties = {{"target", "minipouchd"}, {"go", "go1.22.3"}};

  CaseResult pass = MakeCase("logs-follow", "follow logs of a silent container", 3.21,
                             Outcome::kPassed);
  pass.system_out = "step 1 POST /containers/create: 201\n";
  logs.cases.push_back(pass);

  CaseResult leak = MakeCase("logs-follow", "nothing outlives a container", 1.5,
                             Outcome::kFailed);
  leak.type = "GoroutineLeak";
  leak.message = "2 leaked goroutines: main.(*Server).logsContainer \xC3\x97" "2";
  leak.detail =
      "2 goroutines [chan receive] (ids 41, 57):\n"
      "main.(*Server).logsContainer(...)\n"
      "\t/src/server.go:120 +0x1d";
  leak.system_err = "level=info msg=\"listening\" <a&b>";
  logs.cases.push_back(leak);

  CaseResult broken = MakeCase("logs-follow", "exec step", 0.0004, Outcome::kError);
  broken.type = "TargetError";
  broken.message = "target exited with status 2\nsee system-err";
  logs.cases.push_back(broken);

  SuiteResult cli;
  cli.name = "cli";
  cli.seconds = -1;
  CaseResult skipped = MakeCase("", "ps after interrupt", -3, Outcome::kSkipped);
  skipped.message = "interrupted";
  cli.cases.push_back(skipped);
  CaseResult untyped = MakeCase("cli", "untyped failure", 2.25, Outcome::kFailed);
  cli.cases.push_back(untyped);

  RunResult run;
  run.suites = {logs, cli};
  return run;
}

JUnitOptions FixedHost() {
  JUnitOptions options;
  options.hostname = "ci-runner-7";
  return options;
}

TEST(RenderJUnit, Golden) {
  const std::string want = R"(<?xml version="1.0" encoding="UTF-8"?>
<testsuites name="leakprobe" tests="5" failures="2" errors="1" time="5.400">
  <testsuite name="logs-follow" file="examples/logs.yaml" tests="3" failures="1" errors="1" skipped="0" time="5.400" timestamp="2026-11-28T07:15:09" hostname="ci-runner-7">
    <properties>
      <property name="target" value="minipouchd" />
      <property name="go" value="go1.22.3" />
    </properties>
    <testcase classname="logs-follow" name="follow logs of a silent container" time="3.210">
      <system-out>step 1 POST /containers/create: 201
</system-out>
    </testcase>
    <testcase classname="logs-follow" name="nothing outlives a container" time="1.500">
      <failure type="GoroutineLeak" message="2 leaked goroutines: main.(*Server).logsContainer ×2">2 goroutines [chan receive] (ids 41, 57):
main.(*Server).logsContainer(...)
	/src/server.go:120 +0x1d</failure>
      <system-err>level=info msg="listening" &lt;a&amp;b&gt;</system-err>
    </testcase>
    <testcase classname="logs-follow" name="exec step" time="0.000">
      <error type="TargetError" message="target exited with status 2 see system-err" />
    </testcase>
  </testsuite>
  <testsuite name="cli" tests="2" failures="1" errors="0" skipped="1" time="0.000" hostname="ci-runner-7">
    <testcase classname="cli" name="ps after interrupt" time="0.000">
      <skipped message="interrupted" />
    </testcase>
    <testcase classname="cli" name="untyped failure" time="2.250">
      <failure type="Failure" />
    </testcase>
  </testsuite>
</testsuites>
)";
  EXPECT_EQ(RenderJUnit(FixedRun(), FixedHost()), want);
}

TEST(RenderJUnit, EmptyRun) {
  EXPECT_EQ(RenderJUnit(RunResult{}, FixedHost()),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"leakprobe\" tests=\"0\" failures=\"0\" errors=\"0\" "
            "time=\"0.000\" />\n");
}

TEST(RenderJUnit, DefaultHostnameIsThisMachine) {
  char name[256] = {};
  ASSERT_EQ(gethostname(name, sizeof name - 1), 0);
  const std::string xml = RenderJUnit(FixedRun());
  EXPECT_NE(xml.find(std::string("hostname=\"") + name + "\""), std::string::npos) << xml;
}

TEST(RenderJUnit, TimesNeverUseExponentsOrNegatives) {
  RunResult run = FixedRun();
  run.suites[0].seconds = 1e7;
  run.suites[0].cases[0].seconds = 1e-9;
  run.suites[1].seconds = std::nan("");
  run.suites[1].cases[1].seconds = HUGE_VAL;
  const std::string xml = RenderJUnit(run, FixedHost());
  EXPECT_NE(xml.find("time=\"10000000.000\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("name=\"follow logs of a silent container\" time=\"0.000\""),
            std::string::npos);
  int times = 0;
  for (std::size_t at = xml.find(" time=\""); at != std::string::npos;
       at = xml.find(" time=\"", at + 1), ++times) {
    const std::size_t begin = at + 7, end = xml.find('"', begin);
    const std::string value = xml.substr(begin, end - begin);
    EXPECT_EQ(value.find_first_not_of("0123456789."), std::string::npos) << value;
    EXPECT_EQ(value.size() - value.find('.'), 4u) << value;  // exactly 3 decimals
  }
  EXPECT_EQ(times, 1 + 2 + 5);
}

TEST(RenderJUnit, LongMessagesAreCut) {
  RunResult run = FixedRun();
  run.suites[0].cases[1].message = std::string(5000, 'x');
  const std::string xml = RenderJUnit(run, FixedHost());
  EXPECT_NE(xml.find("message=\"" + std::string(997, 'x') + "\xE2\x80\xA6\""), std::string::npos);
}

// Every kind of bad byte the brief names, in every place text goes.
const char kDirty[] =
    "2 leaked\x01 goroutines:\x1b[31m main.f\x1b[0m \x7f\x08 \xff\xfe \xc0\xaf \xed\xa0\x80 "
    "\xe2\x82\nsecond line";
const char kClean[] =
    "2 leaked\\x01 goroutines: main.f \\x7f\\x08 \xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD "
    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD second line";

RunResult DirtyRun() {
  RunResult run = FixedRun();
  SuiteResult& suite = run.suites[0];
  suite.name += kDirty;
  suite.properties.emplace_back(std::string("dirty") + kDirty, kDirty);
  CaseResult& leak = suite.cases[1];
  leak.classname = suite.name;
  leak.name += kDirty;
  leak.message = kDirty;
  leak.detail = std::string(kDirty) + "\r\n\x1b]0;title\x07" + kDirty;
  leak.system_out = kDirty;
  leak.system_err = std::string("\x1b[1;31mpanic: boom\x1b[0m\n") + kDirty;
  suite.cases[2].message = kDirty;
  run.suites[1].cases[0].message = kDirty;
  return run;
}

class JUnitFileTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = testing::TempDir() + "reports_test.XXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::vector<std::string> Listing(const fs::path& dir) const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// Runs `command` through the shell; returns its exit status and, in *out, its stdout.
int RunCommand(const std::string& command, std::string* out) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out->append(buf, n);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const fs::path kSchema = fs::path(LEAKPROBE_SHARED_DIR) / "junit-schemas" / "junit-10.xsd";

TEST_F(JUnitFileTest, DirtyTextValidatesAndReadsBack) {
  if (!fs::exists(kSchema)) {
    GTEST_SKIP() << "../shared is absent (no " << kSchema.string()
                 << "): cannot validate against the JUnit schema";
  }
  const fs::path report = dir_ / "report.xml";
  ASSERT_TRUE(WriteJUnitFile(DirtyRun(), report.string(), FixedHost()).ok());

  std::string lint_out;
  EXPECT_EQ(RunCommand("xmllint --noout --schema '" + kSchema.string() + "' '" + report.string() +
                    "' 2>&1",
                &lint_out),
            0)
      << lint_out;

  // Debian's junitparser lives in /usr/bin/python3's path, not the pyenv shim's.
  const std::string script = R"(
import sys
from junitparser import JUnitXml
xml = JUnitXml.fromfile(sys.argv[1])
out = ["run %s %s %s" % (xml.tests, xml.failures, xml.errors)]
for suite in xml:
    out.append("suite %s %s %s %s" % (suite.tests, suite.failures, suite.errors, suite.skipped))
    for case in suite:
        for r in case.result:
            out.append("%s|%s|%s" % (type(r).__name__, r.type, r.message))
        if case.system_err:
            out.append("err|" + case.system_err.replace("\n", "/"))
sys.stdout.buffer.write("\n".join(out).encode("utf-8"))
)";
  std::string parsed;
  ASSERT_EQ(RunCommand("/usr/bin/python3 -c '" + script + "' '" + report.string() + "' 2>&1", &parsed),
            0)
      << parsed;
  const std::string clean = kClean;
  std::string clean_lines = clean;  // system-err keeps its line break; the message does not
  clean_lines.replace(clean_lines.rfind(" second line"), 1, "/");
  EXPECT_EQ(parsed,
            "run 5 2 1\n"
            "suite 3 1 1 0\n"
            "Failure|GoroutineLeak|" + clean + "\n"
            "err|panic: boom/" + clean_lines + "\n"
            "Error|TargetError|" + clean + "\n"
            "suite 2 1 0 1\n"
            "Skipped|None|" + clean + "\n"
            "Failure|Failure|None");
}

TEST_F(JUnitFileTest, GoldenRunValidates) {
  if (!fs::exists(kSchema)) {
    GTEST_SKIP() << "../shared is absent (no " << kSchema.string()
                 << "): cannot validate against the JUnit schema";
  }
  const fs::path report = dir_ / "report.xml";
  ASSERT_TRUE(WriteJUnitFile(FixedRun(), report.string()).ok());
  std::string lint_out;
  EXPECT_EQ(RunCommand("xmllint --noout --schema '" + kSchema.string() + "' '" + report.string() +
                    "' 2>&1",
                &lint_out),
            0)
      << lint_out;
}

TEST_F(JUnitFileTest, MissingDirectoryIsAnErrorAndLeavesNothing) {
  const fs::path report = dir_ / "missing" / "report.xml";
  const Status s = WriteJUnitFile(FixedRun(), report.string(), FixedHost());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "cannot write " + report.string() + ": No such file or directory");
  EXPECT_EQ(Listing(dir_), std::vector<std::string>{});
}

TEST_F(JUnitFileTest, FailedRenameRemovesTheTempFile) {
  const fs::path report = dir_ / "report.xml";
  fs::create_directory(report);  // rename(2) cannot replace a directory with a file
  const Status s = WriteJUnitFile(FixedRun(), report.string(), FixedHost());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "cannot write " + report.string() + ": Is a directory");
  EXPECT_EQ(Listing(dir_), std::vector<std::string>{"report.xml"});
}

TEST_F(JUnitFileTest, OverwriteReplacesTheWholeFile) {
  const fs::path report = dir_ / "report.xml";
  {
    std::ofstream old(report, std::ios::binary);
    old << std::string(1 << 20, 'x');  // longer than the report: no tail may survive
  }
  ASSERT_TRUE(WriteJUnitFile(FixedRun(), report.string(), FixedHost()).ok());
  EXPECT_EQ(ReadAll(report), RenderJUnit(FixedRun(), FixedHost()));
  EXPECT_EQ(Listing(dir_), std::vector<std::string>{"report.xml"});
}

TEST_F(JUnitFileTest, RelativePathWritesIntoTheWorkingDirectory) {
  const fs::path before = fs::current_path();
  fs::current_path(dir_);
  const Status s = WriteJUnitFile(FixedRun(), "report.xml", FixedHost());
  fs::current_path(before);
  ASSERT_TRUE(s.ok()) << s.message();
  EXPECT_EQ(Listing(dir_), std::vector<std::string>{"report.xml"});
}

}  // namespace
}  // namespace leakprobe
