#include "scenarios/template.h"

#include <map>

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

VarLookup FromMap(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const std::map<std::string, std::string> kVars = {
    {"api", "http://127.0.0.1:8080/v1.24"},
    {"cid", "42"},
    {"env.HOME", "/root"},
    {"self", "${cid}"},  // a value holding "${": inserted as is
    {"empty", ""},
    {"a-b_c", "dash"},
};

struct ExpandCase {
  std::string text;
  std::string want;  // the expansion, or the error message when `error`
  bool error = false;
};

TEST(ExpandTemplate, Table) {
  const ExpandCase cases[] = {
      {"", ""},
      {"plain", "plain"},
      {"${cid}", "42"},
      {"${api}/containers/${cid}/start", "http://127.0.0.1:8080/v1.24/containers/42/start"},
      {"${cid}${cid}", "4242"},
      {"${env.HOME}/x", "/root/x"},
      {"${a-b_c}", "dash"},
      {"[${empty}]", "[]"},
      {"${self}", "${cid}"},  // single pass
      {"$${cid}", "${cid}"},  // escaped
      {"$$${cid}", "$${cid}"},
      {"cost $5", "cost $5"},
      {"$HOME $$ $", "$HOME $$ $"},
      {"${cid}$", "42$"},
      {"${nope}", "undefined variable \"${nope}\"", true},
      {"${api}/${nope}", "undefined variable \"${nope}\"", true},
      {"${api/containers", "unterminated \"${\" in \"${api/containers\"", true},
      {"x ${", "unterminated \"${\" in \"x ${\"", true},
      {"${api/containers/${cid}", "unterminated \"${\" in \"${api/containers/${cid}\"", true},
      {"${a b}", "unterminated \"${\" in \"${a b}\"", true},
      {"a${}b", "empty variable name \"${}\" in \"a${}b\"", true},
      {std::string(100, 'x') + "${",
       "unterminated \"${\" in \"" + std::string(77, 'x') + "...\"", true},
  };
  for (const ExpandCase& c : cases) {
    Result<std::string> got = ExpandTemplate(c.text, FromMap(kVars));
    if (c.error) {
      ASSERT_FALSE(got.ok()) << c.text;
      EXPECT_EQ(got.status().message(), c.want) << c.text;
    } else {
      ASSERT_TRUE(got.ok()) << c.text << ": " << got.status().message();
      EXPECT_EQ(got.value(), c.want) << c.text;
    }
  }
}

TEST(CheckTemplate, SyntaxOnly) {
  EXPECT_TRUE(CheckTemplate("${anything}/${at.all}").ok());
  EXPECT_TRUE(CheckTemplate("$${").ok());
  EXPECT_EQ(CheckTemplate("${x").message(), "unterminated \"${\" in \"${x\"");
}

TEST(TemplateNames, Table) {
  const struct {
    std::string text;
    std::vector<std::string> want;
  } cases[] = {
      {"", {}},
      {"no vars", {}},
      {"${a}/${b}/${a}", {"a", "b"}},
      {"$${a} ${b}", {"b"}},
      {"${env.HOME}", {"env.HOME"}},
      {"${bad ${good}", {"good"}},
      {"${} ${x}", {"x"}},
  };
  for (const auto& c : cases) EXPECT_EQ(TemplateNames(c.text), c.want) << c.text;
}

TEST(IsVariableName, Table) {
  for (const char* ok : {"cid", "api_url", "a-b", "_x", "X9"}) EXPECT_TRUE(IsVariableName(ok)) << ok;
  for (const char* bad : {"", "9a", "-a", "env.HOME", "a b", "a$"}) {
    EXPECT_FALSE(IsVariableName(bad)) << bad;
  }
}

}  // namespace
}  // namespace leakprobe
