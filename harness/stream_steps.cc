#include "harness/stream_steps.h"

namespace leakprobe {

Status ExpandTarget(const std::string& url, const std::string& socket, const NameValues& headers,
                    const ScenarioContext& ctx, std::string* url_out, std::string* socket_out,
                    NameValues* headers_out) {
  auto u = ctx.Expand(url);
  if (!u.ok()) return u.status();
  *url_out = u.value();
  auto s = ctx.Expand(socket);
  if (!s.ok()) return s.status();
  *socket_out = s.value();
  for (const auto& [k, v] : headers) {
    auto value = ctx.Expand(v);
    if (!value.ok()) return value.status();
    headers_out->emplace_back(k, value.value());
  }
  return Status::Ok();
}

std::function<bool()> TargetGone(const ScenarioContext& ctx) {
  TargetProcess* target = ctx.target;
  if (!target) return {};
  return [target] { return !target->Running(); };
}

Outcome StreamFailure(const Status& status, const std::string& label, ScenarioContext* ctx) {
  ctx->Log(label + ": " + status.message());
  if (status.message().find(": no response within ") != std::string::npos) {
    return Outcome::Failed("Timeout", label + ": " + status.message());
  }
  return Outcome::Error("StepError", label + ": " + status.message());
}

}  // namespace leakprobe
