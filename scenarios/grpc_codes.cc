// gRPC status code names (grpc_spec.h).
#include <cctype>

#include "scenarios/grpc_spec.h"

namespace leakprobe {

namespace {
const char* const kNames[] = {"OK",          "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",
                              "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",   "PERMISSION_DENIED",
                              "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
                              "UNIMPLEMENTED", "INTERNAL",     "UNAVAILABLE",       "DATA_LOSS",
                              "UNAUTHENTICATED"};
}  // namespace

std::string GrpcCodeName(int code) {
  if (code >= 0 && code <= 16) return kNames[code];
  return std::to_string(code);
}

std::optional<int> GrpcCodeFromName(const std::string& name) {
  std::string upper = name;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (int i = 0; i <= 16; ++i) {
    if (upper == kNames[i]) return i;
  }
  return std::nullopt;
}

}  // namespace leakprobe
