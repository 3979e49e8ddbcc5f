// `expect` and `capture` of http and exec steps (step_kinds.h).
#include <strings.h>

#include <algorithm>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "harness/step_kinds.h"

namespace leakprobe {

namespace {

constexpr size_t kExcerpt = 2000;

std::string Excerpt(const std::string& text) {
  std::string out = text.substr(0, kExcerpt);
  if (text.size() > kExcerpt) out += "...";
  return out;
}

long long CountLines(const std::string& body) {
  long long n = std::count(body.begin(), body.end(), '\n');
  if (!body.empty() && body.back() != '\n') ++n;
  return n;
}

const std::string* FindHeader(const StepResult& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return &v;
  }
  return nullptr;
}

// The JSON body, parsed once.
class JsonBody {
 public:
  explicit JsonBody(const std::string& text) : text_(text) {}
  const nlohmann::json* Get() {
    if (!parsed_) {
      value_ = nlohmann::json::parse(text_, nullptr, false);
      parsed_ = true;
    }
    return value_.is_discarded() ? nullptr : &value_;
  }

 private:
  const std::string& text_;
  bool parsed_ = false;
  nlohmann::json value_;
};

}  // namespace

Status ExpandJsonLeaves(nlohmann::json* j, const ScenarioContext& ctx) {
  if (j->is_string()) {
    auto s = ctx.Expand(j->get<std::string>());
    if (!s.ok()) return s.status();
    *j = s.value();
  } else if (j->is_structured()) {
    for (auto& item : *j) {
      Status st = ExpandJsonLeaves(&item, ctx);
      if (!st.ok()) return st;
    }
  }
  return Status::Ok();
}

const nlohmann::json* JsonAt(const nlohmann::json& doc, const std::string& pointer) {
  try {
    nlohmann::json::json_pointer ptr(pointer);
    if (!doc.contains(ptr)) return nullptr;
    return &doc.at(ptr);
  } catch (const std::exception&) {
    return nullptr;
  }
}

std::string ResultDetail(const StepResult& r) {
  if (!r.exec) return "response body:\n" + Excerpt(r.body);
  return "stdout:\n" + Excerpt(r.body) + (r.body.empty() || r.body.back() == '\n' ? "" : "\n") +
         "stderr:\n" + Excerpt(r.err);
}

Outcome CheckExpectAndCapture(const Step& step, const std::string& label, const StepResult& r,
                              ScenarioContext* ctx) {
  const ExpectSpec& expect = step.expect;
  auto fail = [&](const std::string& why) {
    return Outcome::Failed("ExpectationFailed", label + ": " + why, ResultDetail(r));
  };
  const char* body_name = r.exec ? "stdout" : "response body";
  if (r.exec) {
    int want = expect.exit_code.value_or(0);
    if (r.exit_code != want) {
      return fail("expected exit code " + std::to_string(want) + ", " + r.describe_exit);
    }
  } else if (!expect.status.empty() &&
             std::find(expect.status.begin(), expect.status.end(), r.status) == expect.status.end()) {
    std::string want;
    for (int s : expect.status) want += (want.empty() ? "" : " or ") + std::to_string(s);
    return fail("expected status " + want + ", got " +
                (r.status ? std::to_string(r.status) : std::string("none (hung up first)")));
  }
  for (const auto& [name, tmpl] : expect.headers) {
    auto want = ctx->Expand(tmpl);
    if (!want.ok()) return Outcome::Error("StepError", label + ": " + want.status().message());
    const std::string* got = FindHeader(r, name);
    if (!got) return fail("no header " + name + " in the response (expected \"" + want.value() + "\")");
    if (*got != want.value()) {
      return fail("header " + name + " is \"" + *got + "\", expected \"" + want.value() + "\"");
    }
  }
  for (const std::string& tmpl : expect.body_contains) {
    auto want = ctx->Expand(tmpl);
    if (!want.ok()) return Outcome::Error("StepError", label + ": " + want.status().message());
    if (r.body.find(want.value()) == std::string::npos) {
      return fail(std::string(body_name) + " does not contain \"" + want.value() + "\"");
    }
  }
  for (const std::string& re : expect.body_regex) {
    RE2 compiled(re, RE2::Quiet);
    if (!compiled.ok()) return Outcome::Error("StepError", label + ": bad regex " + re);
    if (!RE2::PartialMatch(r.body, compiled)) {
      return fail(std::string(body_name) + " does not match /" + re + "/");
    }
  }
  JsonBody json(r.body);
  for (const auto& [pointer, value] : expect.json) {
    const nlohmann::json* doc = json.Get();
    if (!doc) return fail(std::string(body_name) + " is not JSON");
    nlohmann::json want = value;
    Status st = ExpandJsonLeaves(&want, *ctx);
    if (!st.ok()) return Outcome::Error("StepError", label + ": " + st.message());
    const nlohmann::json* got = JsonAt(*doc, pointer);
    if (!got) return fail("no " + pointer + " in the " + body_name + " (expected " + want.dump() + ")");
    if (*got != want) return fail(pointer + " is " + got->dump() + ", expected " + want.dump());
  }
  if (expect.min_bytes && static_cast<long long>(r.body_bytes) < *expect.min_bytes) {
    return fail("expected at least " + std::to_string(*expect.min_bytes) + " bytes, " +
                std::to_string(r.body_bytes) + " arrived");
  }
  if (expect.min_lines) {
    long long lines = CountLines(r.body);
    if (lines < *expect.min_lines) {
      return fail("expected at least " + std::to_string(*expect.min_lines) + " lines, " +
                  std::to_string(lines) + " arrived");
    }
  }

  for (const CaptureSpec& c : step.captures) {
    std::string value;
    switch (c.from) {
      case CaptureSpec::From::kJson: {
        const nlohmann::json* doc = json.Get();
        if (!doc) return fail("cannot capture " + c.name + ": the " + body_name + " is not JSON");
        const nlohmann::json* v = JsonAt(*doc, c.json_pointer);
        if (!v) return fail("cannot capture " + c.name + ": no " + c.json_pointer + " in the " + body_name);
        value = v->is_string() ? v->get<std::string>() : v->dump();
        break;
      }
      case CaptureSpec::From::kRegex: {
        RE2 re(c.regex, RE2::Quiet);
        if (!re.ok() || !RE2::PartialMatch(r.body, re, &value)) {
          return fail("cannot capture " + c.name + ": /" + c.regex + "/ does not match the " + body_name);
        }
        break;
      }
      case CaptureSpec::From::kHeader: {
        const std::string* h = FindHeader(r, c.header);
        if (!h) return fail("cannot capture " + c.name + ": no header " + c.header + " in the response");
        value = *h;
        break;
      }
      case CaptureSpec::From::kStdout: {
        value = r.body;
        while (!value.empty() && (value.back() == '\n' || value.back() == '\r' ||
                                  value.back() == ' ' || value.back() == '\t')) {
          value.pop_back();
        }
        break;
      }
    }
    ctx->vars[c.name] = value;
    ctx->Log(label + ": captured " + c.name + " = " + (value.size() > 200 ? value.substr(0, 197) + "..." : value));
  }
  return Outcome::Ok();
}

}  // namespace leakprobe
