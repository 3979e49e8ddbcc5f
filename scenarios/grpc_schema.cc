// Protobuf at run time (grpc_schema.h): the only file that includes protobuf's headers.
#include "scenarios/grpc_schema.h"

#include <sys/stat.h>
#include <unistd.h>

#include <mutex>

#include <google/protobuf/compiler/importer.h>
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/descriptor_database.h>
#include <google/protobuf/dynamic_message.h>
#include <google/protobuf/util/json_util.h>

#include "scenarios/did_you_mean.h"

namespace leakprobe {

namespace pb = google::protobuf;

namespace {

// Every problem the proto parser reports, as "file:line:col: message" (1-based).
class Collector : public pb::compiler::MultiFileErrorCollector {
 public:
  void AddError(const std::string& file, int line, int col, const std::string& message) override {
    text += (text.empty() ? "" : "\n") + file;
    if (line >= 0) text += ":" + std::to_string(line + 1) + ":" + std::to_string(col + 1);
    text += ": " + message;
  }
  std::string text;
};

std::string Dir(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// `path` relative to `dir` when it lies under it ("a/b.proto"), else "".
std::string Under(const std::string& path, std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir == ".") return path.rfind("../", 0) == 0 || path[0] == '/' ? "" : path;
  if (path.size() > dir.size() + 1 && path.compare(0, dir.size(), dir) == 0 && path[dir.size()] == '/') {
    return path.substr(dir.size() + 1);
  }
  return "";
}

}  // namespace

struct ProtoSchema::Impl {
  pb::compiler::DiskSourceTree tree;
  std::unique_ptr<pb::compiler::Importer> importer;  // owns the pool for .proto files
  pb::SimpleDescriptorDatabase database;             // reflection's files
  std::unique_ptr<pb::DescriptorPool> reflected_pool;
  const pb::DescriptorPool* pool = nullptr;
  std::vector<std::string> files;  // the protos' names in the pool, for suggestions
  std::mutex mu;  // DynamicMessageFactory builds prototypes lazily
  pb::DynamicMessageFactory factory;

  Result<const pb::Descriptor*> Type(const std::string& name) const {
    const pb::Descriptor* d = pool->FindMessageTypeByName(name);
    if (!d) return Status::Error("no message type \"" + name + "\" in the schema");
    return d;
  }
};

ProtoSchema::ProtoSchema(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProtoSchema::~ProtoSchema() = default;

Result<std::shared_ptr<const ProtoSchema>> ProtoSchema::Load(const std::vector<std::string>& protos,
                                                             const std::vector<std::string>& import_paths) {
  auto impl = std::make_unique<Impl>();
  std::vector<std::string> virtual_names;
  for (const std::string& dir : import_paths) {
    struct stat st;
    if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return Status::Error("import path \"" + dir + "\" is not a directory");
    }
    impl->tree.MapPath("", dir);
  }
  for (const std::string& proto : protos) {
    if (access(proto.c_str(), R_OK) != 0) {
      return Status::Error(proto + ": cannot read: " + std::string(strerror(errno)));
    }
    std::string name;
    for (const std::string& dir : import_paths) {
      if (!(name = Under(proto, dir)).empty()) break;
    }
    if (name.empty()) {  // found from its own directory, after the import paths
      impl->tree.MapPath("", Dir(proto));
      name = proto.substr(proto.rfind('/') + 1);
    }
    virtual_names.push_back(name);
  }
  Collector errors;
  impl->importer = std::make_unique<pb::compiler::Importer>(&impl->tree, &errors);
  for (const std::string& name : virtual_names) impl->importer->Import(name);
  impl->files = virtual_names;
  if (!errors.text.empty()) return Status::Error(errors.text);
  impl->pool = impl->importer->pool();
  return std::shared_ptr<const ProtoSchema>(new ProtoSchema(std::move(impl)));
}

Result<std::shared_ptr<const ProtoSchema>> ProtoSchema::FromFileDescriptors(const std::vector<std::string>& files) {
  auto impl = std::make_unique<Impl>();
  for (const std::string& bytes : files) {
    pb::FileDescriptorProto file;
    if (!file.ParseFromString(bytes)) return Status::Error("a FileDescriptorProto from the server does not parse");
    impl->database.Add(file);  // false for a file sent twice: the first stays
  }
  impl->reflected_pool = std::make_unique<pb::DescriptorPool>(&impl->database);
  impl->pool = impl->reflected_pool.get();
  return std::shared_ptr<const ProtoSchema>(new ProtoSchema(std::move(impl)));
}

Result<GrpcMethodInfo> ProtoSchema::FindMethod(const std::string& method) const {
  std::string m = method[0] == '/' ? method.substr(1) : method;
  size_t slash = m.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == m.size()) {
    return Status::Error("method \"" + method + "\" must be written package.Service/Method");
  }
  std::string service_name = m.substr(0, slash), method_name = m.substr(slash + 1);
  const pb::ServiceDescriptor* service = impl_->pool->FindServiceByName(service_name);
  if (!service) {
    std::vector<std::string> names;
    for (const std::string& file : impl_->files) {
      const pb::FileDescriptor* f = impl_->pool->FindFileByName(file);
      for (int i = 0; f && i < f->service_count(); ++i) names.push_back(f->service(i)->full_name());
    }
    std::vector<std::string_view> views(names.begin(), names.end());
    std::string guess = DidYouMean(service_name, views);
    std::string hint = !guess.empty() ? " (did you mean \"" + guess + "\"?)" : "";
    return Status::Error("no service \"" + service_name + "\" in the protos" + hint);
  }
  const pb::MethodDescriptor* md = service->FindMethodByName(method_name);
  if (!md) {
    std::vector<std::string> names;
    for (int i = 0; i < service->method_count(); ++i) names.push_back(service->method(i)->name());
    std::vector<std::string_view> views(names.begin(), names.end());
    std::string guess = DidYouMean(method_name, views);
    std::string list;
    for (size_t i = 0; i < names.size() && i < 8; ++i) list += (i ? ", " : "") + names[i];
    if (names.size() > 8) list += ", ...";
    return Status::Error("service \"" + service_name + "\" has no method \"" + method_name + "\"" +
                         (guess.empty() ? " (it has " + list + ")" : " (did you mean \"" + guess + "\"?)"));
  }
  GrpcMethodInfo info;
  info.path = "/" + service_name + "/" + method_name;
  info.input_type = md->input_type()->full_name();
  info.output_type = md->output_type()->full_name();
  info.client_streaming = md->client_streaming();
  info.server_streaming = md->server_streaming();
  return info;
}

Result<std::string> ProtoSchema::JsonToBytes(const std::string& type, const std::string& json) const {
  auto d = impl_->Type(type);
  if (!d.ok()) return d.status();
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::unique_ptr<pb::Message> msg(impl_->factory.GetPrototype(d.value())->New());
  pb::util::JsonParseOptions options;
  auto st = pb::util::JsonStringToMessage(json, msg.get(), options);
  if (!st.ok()) return Status::Error(type + ": " + std::string(st.message()));
  return msg->SerializeAsString();
}

Result<std::string> ProtoSchema::BytesToJson(const std::string& type, const std::string& bytes) const {
  auto d = impl_->Type(type);
  if (!d.ok()) return d.status();
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::unique_ptr<pb::Message> msg(impl_->factory.GetPrototype(d.value())->New());
  if (!msg->ParseFromString(bytes)) return Status::Error("a " + type + " from the server does not parse");
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  // Zeros, empty strings and false are printed too, so `expect` can check them.
  options.always_print_primitive_fields = true;
  std::string out;
  auto st = pb::util::MessageToJsonString(*msg, &out, options);
  if (!st.ok()) return Status::Error(type + " as JSON: " + std::string(st.message()));
  return out;
}

}  // namespace leakprobe
