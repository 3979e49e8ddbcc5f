// The `websocket:` step (step_kinds.h): a handshake, messages sent with pauses, messages
// received, and a way of leaving (wire/websocket_client.h). What it received is checked as
// the messages one per line (contains, regex), one by one (json), and counted.
#include "harness/stream_steps.h"
#include "wire/websocket_client.h"

namespace leakprobe {

namespace {

Result<WebSocketRequest> BuildWebSocket(const WebSocketSpec& spec, const ScenarioContext& ctx) {
  WebSocketRequest req;
  Status target = ExpandTarget(spec.url, spec.socket, spec.headers, ctx, &req.url, &req.socket, &req.headers);
  if (!target.ok()) return target;
  for (const std::string& p : spec.subprotocols) {
    auto value = ctx.Expand(p);
    if (!value.ok()) return value.status();
    req.subprotocols.push_back(value.value());
  }
  for (const StreamSend& s : spec.send) {
    auto data = ctx.Expand(s.data);
    if (!data.ok()) return data.status();
    req.sends.push_back({data.value(), s.binary, s.pause});
  }
  req.read_for = spec.read_for;
  req.hang_up = spec.hang_up;
  req.timeout = spec.timeout;
  req.insecure = spec.insecure;
  req.max_messages = spec.max_messages;
  req.abort = TargetGone(ctx);
  return req;
}

}  // namespace

Outcome RunWebSocketStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  auto req = BuildWebSocket(step.websocket, *ctx);
  if (!req.ok()) return Outcome::Error("StepError", label + ": " + req.status().message());
  auto res = RunWebSocket(req.value());
  if (!res.ok()) return StreamFailure(res.status(), label, ctx);
  const WebSocketResult& r = res.value();
  ctx->Log(label + ": " + req->url + " -> " + (r.status ? std::to_string(r.status) : std::string("no status")) +
           ", sent " + std::to_string(req->sends.size()) + " messages, received " + std::to_string(r.message_count) +
           (r.pings ? " and " + std::to_string(r.pings) + " pings" : "") + "; " + r.ended + ", after " +
           FormatDuration(r.elapsed));
  if (step.websocket.hang_up) {
    ctx->hang_ups->Record(r.hung_up, DescribeHangUp(*step.websocket.hang_up) + " not applicable: " + r.ended);
  }
  StepResult result;
  result.websocket = true;
  result.status = r.status;
  result.headers = r.headers;
  for (const WsMessage& m : r.messages) {
    result.body += m.data + "\n";
    result.messages.push_back(m.data);
  }
  if (r.status != 101) result.body = r.refusal_body;
  result.body_bytes = r.bytes;
  result.messages_count = r.message_count;
  return CheckExpectAndCapture(step, label, result, ctx);
}

}  // namespace leakprobe
