// Protobuf schemas known without a build step: `.proto` files parsed at run time (protobuf's
// compiler::Importer, the user runs no protoc), or FileDescriptorProtos a server sent by
// reflection. Maps a message between the protobuf JSON mapping and its wire bytes. The
// loader builds one per grpc step's protos when the suite loads, so a missing import or an
// unknown method is a `validate` error; the harness uses the same object at run time.
// Reads .proto files (Load only); no network I/O. Immutable after construction; its const
// methods are thread-safe (steps of a parallel or repeat share it). Protobuf's headers stay in
// grpc_schema.cc.
#ifndef LEAKPROBE_SCENARIOS_GRPC_SCHEMA_H_
#define LEAKPROBE_SCENARIOS_GRPC_SCHEMA_H_

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace leakprobe {

struct GrpcMethodInfo {
  std::string path;           // "/etcdserverpb.KV/Range", the HTTP/2 :path
  std::string input_type;     // "etcdserverpb.RangeRequest"
  std::string output_type;
  bool client_streaming = false;
  bool server_streaming = false;
};

class ProtoSchema {
 public:
  // Parses `protos` (paths as given, relative to the working directory) with `import_paths`
  // to find their imports; a proto that is not under an import path is found from its own
  // directory. Errors, every one the parser found, one per line:
  //   rpc.proto:4:1: Import "gogoproto/gogo.proto" was not found or had errors.
  //   x.proto: cannot read: No such file or directory
  static Result<std::shared_ptr<const ProtoSchema>> Load(const std::vector<std::string>& protos,
                                                         const std::vector<std::string>& import_paths);
  // From serialized FileDescriptorProtos (server reflection), in any order.
  static Result<std::shared_ptr<const ProtoSchema>> FromFileDescriptors(const std::vector<std::string>& files);
  ~ProtoSchema();

  // "package.Service/Method" (a leading "/" is allowed). Errors:
  //   no service "etcdserverpb.KVV" in the protos (did you mean "etcdserverpb.KV"?)
  //   service "etcdserverpb.KV" has no method "Rnge" (it has Range, Put, ...)
  Result<GrpcMethodInfo> FindMethod(const std::string& method) const;

  // A message from its JSON mapping to wire bytes. Errors name the field:
  //   etcdserverpb.PutRequest: Cannot find field: kee
  Result<std::string> JsonToBytes(const std::string& type, const std::string& json) const;
  // Wire bytes to the JSON mapping (proto field names, int64 as strings, zero values printed).
  Result<std::string> BytesToJson(const std::string& type, const std::string& bytes) const;

  struct Impl;

 private:
  explicit ProtoSchema(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_GRPC_SCHEMA_H_
