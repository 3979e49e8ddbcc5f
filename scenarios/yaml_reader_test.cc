// The small pure helpers behind the loader's messages.
#include <gtest/gtest.h>

#include "scenarios/did_you_mean.h"
#include "scenarios/suite_reader.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {
namespace {

TEST(EditDistance, Table) {
  const struct {
    const char* a;
    const char* b;
    int want;
  } cases[] = {
      {"", "", 0},          {"method", "method", 0}, {"URL", "url", 0},
      {"mehtod", "method", 1}, {"url", "uri", 1},   {"step", "steps", 1},
      {"timout", "timeout", 1}, {"abc", "", 3},     {"kitten", "sitting", 3},
  };
  for (const auto& c : cases) EXPECT_EQ(EditDistance(c.a, c.b), c.want) << c.a << " " << c.b;
}

TEST(DidYouMean, Table) {
  const std::vector<std::string_view> http = {"method", "url", "headers", "body", "json",
                                              "socket", "disconnect_after", "timeout"};
  const struct {
    const char* word;
    const char* want;
  } cases[] = {
      {"mehtod", "method"}, {"Method", "method"}, {"uri", "url"},  {"header", "headers"},
      {"timout", "timeout"}, {"disconect_after", "disconnect_after"},
      {"jsn", "json"},      {"foo", ""},          {"x", ""},       {"expect", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(DidYouMean(c.word, http), c.want) << c.word;
}

TEST(ParseStrictInt, Table) {
  const struct {
    const char* text;
    std::optional<long long> want;
  } cases[] = {
      {"0", 0},           {"201", 201},      {"-1", -1},   {"+7", 7},
      {"08080", 8080},    {"010", 10},       {"", {}},     {"-", {}},
      {"0x10", {}},       {"1e3", {}},       {"1.0", {}},  {"1_000", {}},
      {" 1", {}},         {"1 ", {}},        {"9223372036854775807", 9223372036854775807LL},
      {"9223372036854775808", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseStrictInt(c.text), c.want) << c.text;
}

TEST(ParseSignal, Table) {
  const struct {
    const char* text;
    std::optional<int> want;
  } cases[] = {
      {"SIGTERM", 15}, {"TERM", 15}, {"15", 15},   {"sigkill", 9}, {"SIGHUP", 1},
      {"SIGUSR1", 10}, {"USR2", 12}, {"64", 64},   {"0", {}},      {"65", {}},
      {"SIGFOO", {}},  {"", {}},     {"SIG", {}},  {"-15", {}},
  };
  for (const auto& c : cases) EXPECT_EQ(ParseSignal(c.text), c.want) << c.text;
}

TEST(ErrorList, SortsDedupsAndConvertsMarks) {
  ErrorList errors("f.yaml");
  YAML::Mark m;
  m.line = 4;
  m.column = 2;
  errors.Add(m, "b");
  errors.AddAt(1, 9, "a");
  errors.Add(m, "b");
  errors.Add(YAML::Mark::null_mark(), "null mark");
  EXPECT_EQ(errors.ToString(), "f.yaml:1:1: null mark\nf.yaml:1:9: a\nf.yaml:5:3: b");
}

}  // namespace
}  // namespace leakprobe
