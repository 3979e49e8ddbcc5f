// The `grpc` step (step_kinds.h): expands the step's templates, maps its messages from JSON
// to protobuf through the protos parsed at load (scenarios/grpc_schema.h), makes the call
// (or fetched by server reflection when the step names none) over wire/grpc_client.h, and checks the replies' code, count and fields.
#include <nlohmann/json.hpp>

#include "harness/step_kinds.h"
#include "scenarios/grpc_schema.h"
#include "wire/grpc_client.h"
#include "wire/grpc_reflection.h"
#include "wire/stream_url.h"

namespace leakprobe {

namespace {

constexpr size_t kShownMessages = 5;

struct Replies {
  GrpcReply wire;
  std::vector<nlohmann::json> json;  // the kept messages, decoded
};

std::string Detail(const Replies& r) {
  std::string out = "messages received: " + std::to_string(r.wire.message_count);
  for (size_t i = 0; i < r.json.size() && i < kShownMessages; ++i) out += "\n" + r.json[i].dump();
  if (r.json.size() > kShownMessages) out += "\n...\n" + r.json.back().dump();
  if (!r.wire.grpc_message.empty()) out += "\ngrpc-message: " + r.wire.grpc_message;
  return out;
}

// Where the call goes and what it carries besides its messages.
Result<GrpcCall> BuildCall(const GrpcSpec& spec, const ScenarioContext& ctx) {
  GrpcCall call;
  auto target = ctx.Expand(spec.target);
  if (!target.ok()) return target.status();
  auto socket = ctx.Expand(spec.socket);
  if (!socket.ok()) return socket.status();
  call.connect.host_port = target.value();
  call.connect.unix_path = socket.value();
  if (socket.value().empty()) call.authority = target.value();
  call.tls = spec.tls;
  call.verify_tls = !spec.insecure;
  if (socket.value().empty()) call.tls_host = HostOf(target.value());
  for (const auto& [k, v] : spec.metadata) {
    auto value = ctx.Expand(v);
    if (!value.ok()) return value.status();
    call.metadata.emplace_back(k, value.value());
  }
  call.hang_up = spec.hang_up;
  call.half_close = !(spec.hang_up && spec.hang_up->how == HangUpSpec::How::kKeepOpen);
  call.timeout = spec.timeout;
  TargetProcess* target_process = ctx.target;
  if (target_process) call.connect.abort = [target_process] { return !target_process->Running(); };
  return call;
}

// The request messages, mapped from JSON through `schema`.
Status AddMessages(const GrpcSpec& spec, const ProtoSchema& schema, const GrpcMethodInfo& method,
                   const ScenarioContext& ctx, GrpcCall* call) {
  call->path = method.path;
  size_t sent = 0;
  for (const GrpcMessageSpec& m : spec.messages) {
    GrpcCall::Message out;
    out.pause_before = m.pause_before;
    if (m.json.is_null()) {
      out.pause_only = true;
    } else {
      nlohmann::json j = m.json;
      Status st = ctx.ExpandJson(&j);
      if (!st.ok()) return st;
      auto bytes = schema.JsonToBytes(method.input_type, j.dump());
      if (!bytes.ok()) return Status::Error("message for " + spec.method + ": " + bytes.status().message());
      out.bytes = bytes.value();
      ++sent;
    }
    call->messages.push_back(std::move(out));
  }
  if (sent > 1 && !method.client_streaming) {
    return Status::Error(spec.method + " is not client-streaming: it takes one message");
  }
  return Status::Ok();
}

// The step's schema: its protos, or what the server says by reflection.
Result<std::shared_ptr<const ProtoSchema>> SchemaOf(const GrpcSpec& spec, const GrpcCall& call) {
  if (spec.schema) return spec.schema;
  auto files = ReflectFiles(call, spec.method.substr(0, spec.method.find('/')));
  if (!files.ok()) return Status::Error(spec.method + ": " + files.status().message());
  auto schema = ProtoSchema::FromFileDescriptors(files.value());
  if (!schema.ok()) return Status::Error(spec.method + ": " + schema.status().message());
  return schema;
}

Outcome Check(const Step& step, const std::string& label, const Replies& r, ScenarioContext* ctx) {
  const GrpcExpect& expect = step.grpc.expect;
  auto fail = [&](const std::string& why) {
    return Outcome::Failed("ExpectationFailed", label + ": " + why, Detail(r));
  };
  std::optional<int> want_code = expect.code;
  if (!want_code && !r.wire.hung_up) want_code = 0;
  if (want_code && r.wire.code != want_code) {
    std::string got = r.wire.code ? GrpcCodeName(*r.wire.code) : "none (hung up first)";
    return fail("expected code " + GrpcCodeName(*want_code) + ", got " + got +
                (r.wire.grpc_message.empty() ? "" : ": " + r.wire.grpc_message));
  }
  const long long n = static_cast<long long>(r.wire.message_count);
  if (expect.min_messages && n < *expect.min_messages) {
    return fail("expected at least " + std::to_string(*expect.min_messages) + " messages, " + std::to_string(n) +
                " arrived");
  }
  if (expect.max_messages && n > *expect.max_messages) {
    return fail("expected at most " + std::to_string(*expect.max_messages) + " messages, " + std::to_string(n) +
                " arrived");
  }
  for (int which = 0; which < 2; ++which) {
    const auto& checks = which == 0 ? expect.first_json : expect.json;
    const char* name = which == 0 ? "first" : "last";
    for (const auto& [pointer, value] : checks) {
      if (r.json.empty()) return fail("no message arrived to check " + pointer);
      nlohmann::json want = value;
      Status st = ctx->ExpandJson(&want);
      if (!st.ok()) return Outcome::Error("StepError", label + ": " + st.message());
      const nlohmann::json* got = JsonAt(which == 0 ? r.json.front() : r.json.back(), pointer);
      if (!got) return fail("no " + pointer + " in the " + name + " message (expected " + want.dump() + ")");
      if (*got != want) return fail(pointer + " of the " + name + " message is " + got->dump() + ", expected " + want.dump());
    }
  }
  for (const GrpcCapture& c : step.grpc.captures) {
    if (r.json.empty()) return fail("cannot capture " + c.name + ": no message arrived");
    const nlohmann::json* v = JsonAt(c.first ? r.json.front() : r.json.back(), c.json_pointer);
    if (!v) {
      return fail("cannot capture " + c.name + ": no " + c.json_pointer + " in the " + (c.first ? "first" : "last") +
                  " message");
    }
    ctx->vars[c.name] = v->is_string() ? v->get<std::string>() : v->dump();
    ctx->Log(label + ": captured " + c.name + " = " + ctx->vars[c.name]);
  }
  return Outcome::Ok();
}

}  // namespace

Outcome RunGrpcStep(const Step& step, const std::string& label, ScenarioContext* ctx) {
  const GrpcSpec& spec = step.grpc;
  auto call = BuildCall(spec, *ctx);
  if (!call.ok()) return Outcome::Error("StepError", label + ": " + call.status().message());
  auto schema = SchemaOf(spec, call.value());
  if (!schema.ok()) return Outcome::Error("StepError", label + ": " + schema.status().message());
  auto method = schema.value()->FindMethod(spec.method);
  if (!method.ok()) return Outcome::Error("StepError", label + ": " + method.status().message());
  Status added = AddMessages(spec, *schema.value(), method.value(), *ctx, &call.value());
  if (!added.ok()) return Outcome::Error("StepError", label + ": " + added.message());
  auto reply = DoGrpc(call.value());
  if (!reply.ok()) {
    ctx->Log(label + ": " + reply.status().message());
    if (reply.status().message().rfind("timed out", 0) == 0) {
      return Outcome::Failed("Timeout", label + ": " + reply.status().message());
    }
    return Outcome::Error("StepError", label + ": " + reply.status().message());
  }
  Replies r{std::move(reply.value()), {}};
  for (const std::string& bytes : r.wire.messages) {
    auto json = schema.value()->BytesToJson(method->output_type, bytes);
    if (!json.ok()) return Outcome::Error("StepError", label + ": " + json.status().message());
    r.json.push_back(nlohmann::json::parse(json.value(), nullptr, false));
  }
  std::string summary = spec.method + " -> ";
  summary += r.wire.hung_up ? r.wire.how_ended : GrpcCodeName(r.wire.code.value_or(2));
  summary += " after " + FormatDuration(r.wire.elapsed) + ", " + std::to_string(r.wire.message_count) + " messages";
  ctx->Log(label + ": " + summary);
  if (spec.hang_up) {
    ctx->hang_ups->Record(r.wire.hung_up, DescribeHangUp(*spec.hang_up) + " not applicable: the call ended first (" +
                                              GrpcCodeName(r.wire.code.value_or(2)) + ")");
  }
  return Check(step, label, r, ctx);
}

}  // namespace leakprobe
