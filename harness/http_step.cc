// The `http` step (step_kinds.h).
#include <strings.h>

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "harness/step_kinds.h"
#include "wire/http1_client.h"
#include "wire/http_client.h"

namespace leakprobe {

namespace {

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
    Status st = ctx.ExpandJson(&body);
    if (!st.ok()) return st;
    req.body = body.dump();
    req.content_type = "application/json";
  } else if (spec.body) {
    auto body = ctx.Expand(*spec.body);
    if (!body.ok()) return body.status();
    req.body = body.value();
    req.content_type = "text/plain";
  } else if (!spec.body_file.empty()) {
    auto path = ctx.Expand(spec.body_file);
    if (!path.ok()) return path.status();
    std::ifstream in(path.value(), std::ios::binary);
    if (!in) return Status::Error("body_file: cannot read \"" + path.value() + "\"");
    std::ostringstream bytes;
    bytes << in.rdbuf();
    req.body = bytes.str();
    req.content_type = "application/octet-stream";
  }
  for (const auto& [k, v] : req.headers) {
    if (strcasecmp(k.c_str(), "Content-Type") == 0) req.content_type.clear();
  }
  req.timeout = spec.timeout;
  req.max_body = spec.max_body;
  req.verify_tls = !spec.insecure;
  if (spec.disconnect_after) req.disconnect_after = *spec.disconnect_after;
  // A target that dies mid-request ends the step now, not at its timeout.
  TargetProcess* target = ctx.target;
  if (target) req.abort = [target] { return !target->Running(); };
  return req;
}

// A request with `hang_up:` over the hang-up client (wire/http1_client.h): the moment and the
// way of leaving are the step log's, and a moment that never came is tallied for the sweep.
Result<HttpResponse> DoHangUp(const HttpRequest& req, const HangUpSpec& h, const std::string& label,
                              ScenarioContext* ctx) {
  auto res = DoHttpHangUp(req, h);
  if (!res.ok()) return res.status();
  if (!res->not_applicable.empty()) {
    std::string why = DescribeHangUp(h) + " not applicable: " + res->not_applicable;
    ctx->hang_ups->Record(false, why);
    ctx->Log(label + ": " + why);
  } else {
    ctx->hang_ups->Record(true, "");
    ctx->Log(label + ": " + DescribeHangUp(h) + ": " + res->how);
  }
  return std::move(res->response);
}

}  // namespace

Outcome RunHttpStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  auto req = BuildRequest(step.http, *ctx);
  if (!req.ok()) return Outcome::Error("StepError", label + ": " + req.status().message());
  auto res = step.http.hang_up ? DoHangUp(req.value(), *step.http.hang_up, label, ctx) : DoHttp(req.value());
  if (!res.ok()) {
    ctx->Log(label + ": " + res.status().message());
    // The server not answering in time is what the step checks, so a failure; a request
    // that could not be made at all is an error.
    if (IsTimeout(res.status())) return Outcome::Failed("Timeout", label + ": " + res.status().message());
    return Outcome::Error("StepError", label + ": " + res.status().message());
  }
  const HttpResponse& r = res.value();
  std::string summary = req->method + " " + req->url + " -> ";
  summary += r.hung_up ? "hung up as planned after " + FormatDuration(r.elapsed) +
                             (r.status ? " (status " + std::to_string(r.status) + ")" : "")
                       : std::to_string(r.status) + " in " + FormatDuration(r.elapsed);
  summary += ", " + std::to_string(r.body_bytes) + " bytes";
  ctx->Log(label + ": " + summary);

  StepResult result;
  result.status = r.status;
  result.headers = r.headers;
  result.body = r.body;
  result.body_bytes = r.body_bytes;
  return CheckExpectAndCapture(step, label, result, ctx);
}

}  // namespace leakprobe
