// An http step with `upgrade:` (step_kinds.h): the request asks for `Upgrade: <token>`, and
// the connection becomes a raw stream the step writes to and reads from, then leaves as its
// hang_up says (wire/upgraded_stream.h).
#include "harness/stream_steps.h"
#include "wire/upgraded_stream.h"

namespace leakprobe {

namespace {

Result<UpgradeRequest> BuildUpgrade(const HttpSpec& spec, const ScenarioContext& ctx) {
  UpgradeRequest req;
  req.method = spec.method;
  Status target = ExpandTarget(spec.url, spec.socket, spec.headers, ctx, &req.url, &req.socket, &req.headers);
  if (!target.ok()) return target;
  if (spec.json) {
    nlohmann::json body = *spec.json;
    Status st = ctx.ExpandJson(&body);
    if (!st.ok()) return st;
    req.body = body.dump();
    if (HeaderValue(req.headers, "Content-Type").empty()) req.headers.emplace_back("Content-Type", "application/json");
  } else if (spec.body) {
    auto body = ctx.Expand(*spec.body);
    if (!body.ok()) return body.status();
    req.body = body.value();
  }
  const UpgradeSpec& u = *spec.upgrade;
  req.protocol = u.protocol;
  for (const StreamSend& s : u.send) {
    auto bytes = ctx.Expand(s.data);
    if (!bytes.ok()) return bytes.status();
    req.writes.push_back({bytes.value(), s.pause});
  }
  req.close_stdin = u.close_stdin;
  req.read_for = u.read_for;
  req.demux = u.demux;
  req.hang_up = spec.hang_up;
  req.insecure = spec.insecure;
  req.timeout = spec.timeout;
  req.max_output = spec.max_body;
  req.abort = TargetGone(ctx);
  return req;
}

}  // namespace

Outcome RunUpgradeStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  auto req = BuildUpgrade(step.http, *ctx);
  if (!req.ok()) return Outcome::Error("StepError", label + ": " + req.status().message());
  auto res = RunUpgradedStream(req.value());
  if (!res.ok()) return StreamFailure(res.status(), label, ctx);
  const UpgradeResult& r = res.value();
  ctx->Log(label + ": " + req->method + " " + req->url + " (upgrade: " + req->protocol + ") -> " +
           (r.status ? std::to_string(r.status) : std::string("no status")) + ", wrote " +
           std::to_string(r.written) + " bytes, read " + std::to_string(r.output_bytes) +
           (r.demuxed ? " (docker frames)" : "") + "; " + r.ended + ", after " + FormatDuration(r.elapsed));
  if (step.http.hang_up) {
    ctx->hang_ups->Record(r.hung_up, DescribeHangUp(*step.http.hang_up) + " not applicable: " + r.ended);
  }
  StepResult result;
  result.upgraded = true;
  result.status = r.status;
  result.headers = r.headers;
  result.body = r.output;
  result.body_bytes = r.output_bytes;
  return CheckExpectAndCapture(step, label, result, ctx);
}

}  // namespace leakprobe
