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

// The JSON documents to look in, parsed once: the body, or each message of a websocket step.
class JsonDocs {
 public:
  explicit JsonDocs(const StepResult& r) : r_(r) {}
  const std::vector<nlohmann::json>& Get() {
    if (!parsed_) {
      parsed_ = true;
      if (!r_.websocket) Add(r_.body);
      for (const std::string& m : r_.messages) Add(m);
    }
    return docs_;
  }

 private:
  void Add(const std::string& text) {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (!j.is_discarded()) docs_.push_back(std::move(j));
  }
  const StepResult& r_;
  bool parsed_ = false;
  std::vector<nlohmann::json> docs_;
};

}  // namespace

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
  if (r.websocket) return "messages, one per line:\n" + Excerpt(r.body);
  if (r.upgraded) return "output:\n" + Excerpt(r.body);
  if (!r.exec) return "response body:\n" + Excerpt(r.body);
  return "stdout:\n" + Excerpt(r.body) + (r.body.empty() || r.body.back() == '\n' ? "" : "\n") +
         "stderr:\n" + Excerpt(r.err);
}

namespace {

// The outcome of an unmet expectation or a failed capture: the response (or output) is its detail.
Outcome Unmet(const std::string& label, const StepResult& r, const std::string& why) {
  return Outcome::Failed("ExpectationFailed", label + ": " + why, ResultDetail(r));
}

// The checks of `expect`, in the order the reference lists them; the first unmet one fails.
Outcome CheckExpect(const ExpectSpec& expect, const std::string& label, const StepResult& r, JsonDocs* json,
                    ScenarioContext* ctx) {
  auto fail = [&](const std::string& why) { return Unmet(label, r, why); };
  const char* body_name = r.exec ? "stdout" : r.websocket ? "messages" : r.upgraded ? "output" : "response body";
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
  for (const auto& [pointer, value] : expect.json) {
    const std::vector<nlohmann::json>& docs = json->Get();
    if (docs.empty()) return fail(std::string(body_name) + (r.websocket ? " hold no JSON" : " is not JSON"));
    nlohmann::json want = value;
    Status st = ctx->ExpandJson(&want);
    if (!st.ok()) return Outcome::Error("StepError", label + ": " + st.message());
    // A websocket step's messages: the first that holds the pointer with the wanted value.
    const nlohmann::json* got = nullptr;
    for (const nlohmann::json& doc : docs) {
      const nlohmann::json* v = JsonAt(doc, pointer);
      if (v && (!got || *v == want)) got = v;
    }
    if (!got) return fail("no " + pointer + " in the " + body_name + " (expected " + want.dump() + ")");
    if (*got != want) return fail(pointer + " is " + got->dump() + ", expected " + want.dump());
  }
  if (expect.min_messages && static_cast<long long>(r.messages_count) < *expect.min_messages) {
    return fail("expected at least " + std::to_string(*expect.min_messages) + " messages, " +
                std::to_string(r.messages_count) + " arrived");
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

  return Outcome::Ok();
}

// Stores each capture in ctx->vars; one that finds nothing fails the step.
Outcome Capture(const std::vector<CaptureSpec>& captures, const std::string& label, const StepResult& r,
                JsonDocs* json, ScenarioContext* ctx) {
  auto fail = [&](const std::string& why) { return Unmet(label, r, why); };
  const char* body_name = r.exec ? "stdout" : r.websocket ? "messages" : r.upgraded ? "output" : "response body";
  for (const CaptureSpec& c : captures) {
    std::string value;
    switch (c.from) {
      case CaptureSpec::From::kJson: {
        if (json->Get().empty()) return fail("cannot capture " + c.name + ": the " + body_name + " is not JSON");
        const nlohmann::json* v = nullptr;
        for (const nlohmann::json& doc : json->Get()) {
          if ((v = JsonAt(doc, c.json_pointer))) break;
        }
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

}  // namespace

Outcome CheckExpectAndCapture(const Step& step, const std::string& label, const StepResult& r,
                              ScenarioContext* ctx) {
  JsonDocs json(r);
  Outcome o = CheckExpect(step.expect, label, r, &json, ctx);
  return o.ok() ? Capture(step.captures, label, r, &json, ctx) : o;
}

}  // namespace leakprobe
