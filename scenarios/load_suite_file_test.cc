// LoadSuiteFile: reading a scenario file from disk, its size limit, and errors that name it.
#include "scenarios/loader.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

class LoadSuiteFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/scenarios_test.XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(LoadSuiteFileTest, ReadsAFile) {
  std::string path = Write("logs-follow.yaml", "suite: logs-follow\nscenarios:\n  - name: follow\n  - name: whole life\n");
  Result<Suite> s = LoadSuiteFile(path);
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->file, path);
  EXPECT_EQ(s->scenarios.size(), 2u);
}

TEST_F(LoadSuiteFileTest, ErrorsNameThePath) {
  std::string path = Write("bad.yaml", "scenarios:\n  - nam: a\n");
  Result<Suite> s = LoadSuiteFile(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), path + ":2:5: unknown key \"nam\" (did you mean \"name\"?)\n" +
                                      path + ":2:5: missing key \"name\"");
}

TEST_F(LoadSuiteFileTest, MissingFile) {
  Result<Suite> s = LoadSuiteFile(dir_ + "/nope.yaml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), dir_ + "/nope.yaml: cannot read: No such file or directory");
}

TEST_F(LoadSuiteFileTest, Directory) {
  Result<Suite> s = LoadSuiteFile(dir_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(), dir_ + ": cannot read: Is a directory");
}

TEST_F(LoadSuiteFileTest, TooBig) {
  std::string path = Write("big.yaml", "# " + std::string(kMaxSuiteFileBytes, 'x') + "\n");
  Result<Suite> s = LoadSuiteFile(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            path + ": too big: 4194307 bytes (scenario files are limited to 4 MiB)");
}

TEST_F(LoadSuiteFileTest, ExactlyAtTheLimitIsRead) {
  std::string head = "scenarios:\n  - name: a\n";
  std::string text = head + "#" + std::string(kMaxSuiteFileBytes - head.size() - 2, 'x') + "\n";
  ASSERT_EQ(text.size(), kMaxSuiteFileBytes);
  Result<Suite> s = LoadSuiteFile(Write("edge.yaml", text));
  EXPECT_TRUE(s.ok()) << s.status().message().substr(0, 200);
}

}  // namespace
}  // namespace leakprobe
