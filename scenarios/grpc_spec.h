// The `grpc:` step as plain values: which method of which server, the messages it sends, when
// and how it leaves (hang_up), and what its replies must show. The loader (grpc_reader.cc)
// fills it; harness/grpc_step.cc runs it over wire/grpc_client.h. No I/O.
//
//   - grpc:
//       target: 127.0.0.1:${port}            # or socket: /run/x.sock
//       protos: [/usr/share/.../rpc.proto]   # parsed when the suite loads
//       import_paths: [/usr/include]
//       method: etcdserverpb.Watch/Watch
//       messages: [{create_request: {key: YQ==}}, {pause: 1s}]
//       hang_up: { messages: 1, how: cancel }
//     expect: { code: CANCELLED, min_messages: 1 }
//     capture: { rev: { json: /header/revision, from: last } }
#ifndef LEAKPROBE_SCENARIOS_GRPC_SPEC_H_
#define LEAKPROBE_SCENARIOS_GRPC_SPEC_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/duration.h"
#include "scenarios/hang_up.h"

namespace leakprobe {

class ProtoSchema;  // scenarios/grpc_schema.h

// One request message, or a pause before the next one (`- pause: 1s` in `messages:`).
struct GrpcMessageSpec {
  nlohmann::json json;   // the message through the protobuf JSON mapping; string leaves are templates
  Millis pause_before{0};
};

// `expect:` of a grpc step. Without `code`, a step that does not hang up expects OK and one
// that does checks no code (it left before the status came).
struct GrpcExpect {
  std::optional<int> code;                 // 0..16: OK, CANCELLED, ... or a number
  std::optional<long long> min_messages;
  std::optional<long long> max_messages;
  // JSON pointer -> value on the last message received (`json:`) or the first (`first_json:`).
  std::vector<std::pair<std::string, nlohmann::json>> json;
  std::vector<std::pair<std::string, nlohmann::json>> first_json;
};

// `capture: { rev: { json: /header/revision, from: first | last } }` (last by default).
struct GrpcCapture {
  std::string name;
  std::string json_pointer;
  bool first = false;
};

struct GrpcSpec {
  std::string target;                              // host:port (template); empty with socket
  std::string socket;                              // unix socket path (template)
  std::string method;                              // "package.Service/Method"
  std::vector<std::pair<std::string, std::string>> metadata;  // templates; names lower-cased
  bool tls = false;                                // TLS with ALPN h2; else plaintext h2c
  bool insecure = false;                           // with tls: accept any certificate
  Millis timeout{Millis(30000)};                   // the whole call; expiry is a step failure
  std::vector<GrpcMessageSpec> messages;           // `message:` is a list of one
  std::optional<HangUpSpec> hang_up;               // close, reset, stall, cancel, keep_open
  std::vector<std::string> protos;                 // relative ones resolved from the scenario file's folder
  std::vector<std::string> import_paths;
  // The parsed protos (immutable, shared by every run of the step); null when the schema
  // comes from server reflection at run time.
  std::shared_ptr<const ProtoSchema> schema;
  bool client_streaming = false;                   // known from the protos; else from reflection
  bool server_streaming = false;
  GrpcExpect expect;
  std::vector<GrpcCapture> captures;
};

// "OK", "CANCELLED", ... for 0..16; the number as text otherwise.
std::string GrpcCodeName(int code);
// The code of a name ("cancelled" and "Cancelled" too), or nullopt.
std::optional<int> GrpcCodeFromName(const std::string& name);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_GRPC_SPEC_H_
