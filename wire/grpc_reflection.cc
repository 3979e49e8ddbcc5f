// Server reflection (grpc_reflection.h).
#include "wire/grpc_reflection.h"

#include <cstdint>

#include "scenarios/grpc_spec.h"

namespace leakprobe {

namespace {

constexpr int kUnimplemented = 12;

void PutVarint(uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(const std::string& in, size_t* pos, uint64_t* v) {
  *v = 0;
  for (int shift = 0; shift < 64 && *pos < in.size(); shift += 7) {
    const auto byte = static_cast<unsigned char>(in[(*pos)++]);
    *v |= uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return true;
  }
  return false;
}

// Calls `f(field, wire type, varint value, bytes)` for each field of a message; false when
// the bytes do not parse.
template <typename F>
bool ForEachField(const std::string& in, F f) {
  size_t pos = 0;
  while (pos < in.size()) {
    uint64_t key, value = 0;
    if (!GetVarint(in, &pos, &key)) return false;
    const int wire = static_cast<int>(key & 7);
    std::string bytes;
    if (wire == 0) {
      if (!GetVarint(in, &pos, &value)) return false;
    } else if (wire == 2) {
      if (!GetVarint(in, &pos, &value) || value > in.size() - pos) return false;
      bytes = in.substr(pos, value);
      pos += value;
    } else if (wire == 1 || wire == 5) {
      pos += wire == 1 ? 8 : 4;
      if (pos > in.size()) return false;
    } else {
      return false;
    }
    f(static_cast<int>(key >> 3), wire, value, bytes);
  }
  return true;
}

}  // namespace

std::string EncodeReflectionRequest(const std::string& symbol) {
  std::string out;
  PutVarint((4 << 3) | 2, &out);  // file_containing_symbol = 4
  PutVarint(symbol.size(), &out);
  out += symbol;
  return out;
}

Result<std::vector<std::string>> DecodeReflectionResponse(const std::string& bytes) {
  std::vector<std::string> files;
  int error_code = -1;
  std::string error_message;
  bool ok = ForEachField(bytes, [&](int field, int wire, uint64_t, const std::string& sub) {
    if (field == 4 && wire == 2) {  // file_descriptor_response { repeated bytes file_descriptor_proto = 1 }
      ForEachField(sub, [&](int f, int w, uint64_t, const std::string& file) {
        if (f == 1 && w == 2) files.push_back(file);
      });
    } else if (field == 7 && wire == 2) {  // error_response { int32 error_code = 1; string error_message = 2 }
      error_code = 2;
      ForEachField(sub, [&](int f, int w, uint64_t v, const std::string& text) {
        if (f == 1 && w == 0) error_code = static_cast<int>(v);
        if (f == 2 && w == 2) error_message = text;
      });
    }
  });
  if (!ok) return Status::Error("a reflection response does not parse");
  if (error_code >= 0) return Status::Error(GrpcCodeName(error_code) + ": " + error_message);
  if (files.empty()) return Status::Error("a reflection response without files");
  return files;
}

Result<std::vector<std::string>> ReflectFiles(const GrpcCall& base, const std::string& symbol) {
  GrpcCall call = base;
  call.hang_up.reset();
  call.half_close = true;
  call.messages = {GrpcCall::Message{EncodeReflectionRequest(symbol), Millis(0), false}};
  for (const char* version : {"v1", "v1alpha"}) {
    call.path = std::string("/grpc.reflection.") + version + ".ServerReflection/ServerReflectionInfo";
    auto reply = DoGrpc(call);
    if (!reply.ok()) return Status::Error("reflection: " + reply.status().message());
    if (reply->code == kUnimplemented) continue;
    if (reply->code != 0 || reply->messages.empty()) {
      return Status::Error("reflection: " + std::string("grpc.reflection.") + version + " ended " +
                           GrpcCodeName(reply->code.value_or(2)) +
                           (reply->grpc_message.empty() ? "" : ": " + reply->grpc_message));
    }
    auto files = DecodeReflectionResponse(reply->messages.front());
    if (!files.ok()) return Status::Error("reflection: " + symbol + ": " + files.status().message());
    return files;
  }
  return Status::Error("the server has no reflection service (grpc.reflection.v1 and v1alpha: UNIMPLEMENTED); "
                       "give the step protos:");
}

}  // namespace leakprobe
