#include "harness/steps.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "harness/http_client.h"
#include "harness/interrupt.h"
#include "harness/leak_check.h"

namespace leakprobe {

namespace {

// Expands every string leaf of a JSON body.
Status ExpandJson(nlohmann::json* j, const ScenarioContext& ctx) {
  if (j->is_string()) {
    auto s = ctx.Expand(j->get<std::string>());
    if (!s.ok()) return s.status();
    *j = s.value();
  } else if (j->is_structured()) {
    for (auto& item : *j) {
      Status st = ExpandJson(&item, ctx);
      if (!st.ok()) return st;
    }
  }
  return Status::Ok();
}

std::string BodyExcerpt(const std::string& body) {
  std::string out = body.substr(0, 300);
  if (body.size() > 300) out += "...";
  return out;
}

Result<HttpRequest> BuildRequest(const HttpSpec& spec, const ScenarioContext& ctx) {
  HttpRequest req;
  req.method = spec.method;
  auto url = ctx.Expand(spec.url);
  if (!url.ok()) return url.status();
  req.url = url.value();
  auto socket = ctx.Expand(spec.socket);
  if (!socket.ok()) return socket.status();
  req.socket = socket.value();
  for (const auto& [k, v] : spec.headers) {
    auto value = ctx.Expand(v);
    if (!value.ok()) return value.status();
    req.headers.emplace_back(k, value.value());
  }
  if (spec.json) {
    nlohmann::json body = *spec.json;
    Status st = ExpandJson(&body, ctx);
    if (!st.ok()) return st;
    req.body = body.dump();
    req.content_type = "application/json";
  } else if (spec.body) {
    auto body = ctx.Expand(*spec.body);
    if (!body.ok()) return body.status();
    req.body = body.value();
    req.content_type = "text/plain";
  }
  for (const auto& [k, v] : req.headers) {
    if (strcasecmp(k.c_str(), "Content-Type") == 0) req.content_type.clear();
  }
  req.timeout = spec.timeout;
  if (spec.disconnect_after) req.disconnect_after = *spec.disconnect_after;
  return req;
}

Outcome RunHttp(const Step& step, const std::string& label, ScenarioContext* ctx) {
  auto req = BuildRequest(step.http, *ctx);
  if (!req.ok()) return Outcome::Error("StepError", label + ": " + req.status().message());
  auto res = DoHttp(req.value());
  if (!res.ok()) {
    ctx->Log(label + ": " + res.status().message());
    return Outcome::Error("StepError", label + ": " + res.status().message());
  }
  const HttpResponse& r = res.value();
  std::string summary = req->method + " " + req->url + " -> ";
  summary += r.hung_up ? "hung up as planned after " + FormatDuration(r.elapsed) +
                             (r.status ? " (status " + std::to_string(r.status) + ")" : "")
                       : std::to_string(r.status) + " in " + FormatDuration(r.elapsed);
  summary += ", " + std::to_string(r.body_bytes) + " bytes";
  ctx->Log(label + ": " + summary);

  const ExpectSpec& expect = step.expect;
  if (!expect.status.empty() &&
      std::find(expect.status.begin(), expect.status.end(), r.status) == expect.status.end()) {
    std::string want;
    for (int s : expect.status) want += (want.empty() ? "" : " or ") + std::to_string(s);
    std::string msg = label + ": expected status " + want + ", got " +
                      (r.status ? std::to_string(r.status) : std::string("none (hung up first)"));
    return Outcome::Failed("ExpectationFailed", msg, "response body:\n" + BodyExcerpt(r.body));
  }
  for (const std::string& tmpl : expect.body_contains) {
    auto want = ctx->Expand(tmpl);
    if (!want.ok()) return Outcome::Error("StepError", label + ": " + want.status().message());
    if (r.body.find(want.value()) == std::string::npos) {
      return Outcome::Failed("ExpectationFailed",
                             label + ": response body does not contain \"" + want.value() + "\"",
                             "response body:\n" + BodyExcerpt(r.body));
    }
  }
  if (!step.captures.empty()) {
    nlohmann::json body = nlohmann::json::parse(r.body, nullptr, false);
    for (const CaptureSpec& c : step.captures) {
      if (body.is_discarded()) {
        return Outcome::Failed("ExpectationFailed",
                               label + ": cannot capture " + c.name + ": the response is not JSON",
                               "response body:\n" + BodyExcerpt(r.body));
      }
      nlohmann::json::json_pointer ptr;
      try {
        ptr = nlohmann::json::json_pointer(c.json_pointer);
      } catch (const std::exception& e) {
        return Outcome::Error("StepError", label + ": bad JSON pointer " + c.json_pointer);
      }
      if (!body.contains(ptr)) {
        return Outcome::Failed("ExpectationFailed",
                               label + ": cannot capture " + c.name + ": no " + c.json_pointer +
                                   " in the response",
                               "response body:\n" + BodyExcerpt(r.body));
      }
      const nlohmann::json& v = body.at(ptr);
      ctx->vars[c.name] = v.is_string() ? v.get<std::string>() : v.dump();
      ctx->Log(label + ": captured " + c.name + " = " + ctx->vars[c.name]);
    }
  }
  return Outcome::Ok();
}

}  // namespace

std::string StepLabel(const Step& step, int number) {
  std::string label = "step " + std::to_string(number);
  if (!step.name.empty()) return label + " \"" + step.name + "\"";
  switch (step.kind) {
    case Step::Kind::kHttp: return label + " (" + step.http.method + " " + step.http.url + ")";
    case Step::Kind::kSleep: return label + " (sleep " + FormatDuration(step.sleep) + ")";
    case Step::Kind::kCheck: return label + " (check)";
  }
  return label;
}

Outcome RunStep(const Step& step, int number, ScenarioContext* ctx) {
  std::string label = StepLabel(step, number);
  switch (step.kind) {
    case Step::Kind::kHttp:
      return RunHttp(step, label, ctx);
    case Step::Kind::kSleep:
      ctx->Log(label);
      if (!SleepUnlessInterrupted(step.sleep)) return Outcome::Error("Interrupted", label + ": interrupted");
      return Outcome::Ok();
    case Step::Kind::kCheck: {
      ctx->Log(label + ": checking for leaks");
      Outcome o = CheckLeaks(step.check, ctx);
      if (!o.ok() && o.type != "GoroutineLeak") o.message = label + ": " + o.message;
      return o;
    }
  }
  return Outcome::Ok();
}

}  // namespace leakprobe
