// Reads a `grpc:` step and its `expect:` and `capture:` (grpc_spec.h). Internal to scenarios/.
// Parses the step's `protos:` (file reads, through grpc_schema.h), so a missing import, an
// unknown method or a message that does not fit its type is an error at the step's
// file:line:col; no network I/O.
#ifndef LEAKPROBE_SCENARIOS_GRPC_READER_H_
#define LEAKPROBE_SCENARIOS_GRPC_READER_H_

#include <vector>

#include "scenarios/grpc_spec.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

// `grpc: { target | socket, method, metadata, timeout, message | messages, hang_up, protos,
// import_paths }`. Errors, besides the usual ones of each key:
//   "target" and "socket" cannot both be set
//   "protos": rpc.proto:4:1: Import "gogoproto/gogo.proto" was not found or had errors.
//   "method": service "etcdserverpb.KV" has no method "Rnge" (did you mean "Range"?)
//   "message": etcdserverpb.PutRequest: Cannot find field: kee
//   "messages": etcdserverpb.KV/Put is not client-streaming: it takes one message
void ReadGrpc(const Field& field, GrpcSpec* grpc, ErrorList* errors);

// `expect: { code: OK | CANCELLED | 1, min_messages: 1, max_messages: 3,
//            json: { /header/revision: "5" }, first_json: { /created: true } }`
void ReadGrpcExpect(const Field& field, GrpcExpect* expect, ErrorList* errors);

// `capture: { rev: { json: /header/revision, from: first | last } }`
void ReadGrpcCaptures(const Field& field, std::vector<GrpcCapture>* captures, ErrorList* errors);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_GRPC_READER_H_
