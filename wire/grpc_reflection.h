// Server reflection's client side: asks a gRPC server (grpc.reflection.v1, falling back to
// v1alpha) for the file that defines a service, with its dependencies, as serialized
// FileDescriptorProtos for scenarios/grpc_schema.h. Its two small messages are encoded here
// by hand, so no reflection .proto needs to be shipped. Does I/O (one call per version tried).
#ifndef LEAKPROBE_WIRE_GRPC_REFLECTION_H_
#define LEAKPROBE_WIRE_GRPC_REFLECTION_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "wire/grpc_client.h"

namespace leakprobe {

// The FileDescriptorProtos that define `symbol` ("feed.v1.Feed") and what they import, from
// the server `base` connects to (its path, messages and hang_up are replaced). Errors:
//   "the server has no reflection service (grpc.reflection.v1 and v1alpha: UNIMPLEMENTED)"
//   "reflection: feed.v1.Fed: NOT_FOUND: symbol not found"
Result<std::vector<std::string>> ReflectFiles(const GrpcCall& base, const std::string& symbol);

// The request message `{file_containing_symbol: symbol}`, and the files of a response (or its
// error_response as an error). Pure; for tests.
std::string EncodeReflectionRequest(const std::string& symbol);
Result<std::vector<std::string>> DecodeReflectionResponse(const std::string& bytes);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_GRPC_REFLECTION_H_
