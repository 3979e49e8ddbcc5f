// The `grpc:` step's reader (grpc_reader.h).
#include "scenarios/grpc_reader.h"

#include <cctype>
#include <limits>

#include "scenarios/expect_reader.h"
#include "scenarios/grpc_schema.h"
#include "scenarios/hang_up_reader.h"
#include "scenarios/template.h"
#include "scenarios/yaml_json.h"

namespace leakprobe {

namespace {

const std::vector<std::string_view> kGrpcKeys = {"target", "socket", "tls", "insecure", "method", "metadata", "timeout",
                                                 "message", "messages", "hang_up", "protos",
                                                 "import_paths"};
const std::vector<std::string_view> kGrpcExpectKeys = {"code", "min_messages", "max_messages", "json",
                                                       "first_json"};
const std::vector<std::string_view> kGrpcCaptureKeys = {"json", "from"};

const std::vector<HangUpSpec::How>& GrpcHows() {
  static const std::vector<HangUpSpec::How> hows = {HangUpSpec::How::kClose, HangUpSpec::How::kReset,
                                                    HangUpSpec::How::kStall, HangUpSpec::How::kCancel,
                                                    HangUpSpec::How::kKeepOpen};
  return hows;
}

// A copy of `j` without the string leaves that hold a ${template}: their values are known
// only at run time, so the load-time check of a message leaves them out.
nlohmann::json WithoutTemplates(const nlohmann::json& j) {
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it->is_string() && it->get<std::string>().find("${") != std::string::npos) continue;
      out[it.key()] = WithoutTemplates(*it);
    }
    return out;
  }
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& item : j) {
      if (item.is_string() && item.get<std::string>().find("${") != std::string::npos) continue;
      out.push_back(WithoutTemplates(item));
    }
    return out;
  }
  return j;
}

// `protos:` and `import_paths:`, read when the suite loads: no ${var} in them. A relative
// path is relative to the scenario file's folder, so a suite and its protos travel together.
std::vector<std::string> ReadPaths(const Field& f, ErrorList* errors) {
  std::optional<std::vector<std::string>> list = ReadTemplateList(f, /*scalar_ok=*/true, errors);
  if (!list) return {};
  for (const std::string& path : *list) {
    if (path.find("${") != std::string::npos) {
      errors->Add(f.Mark(), Quoted(f.name) + " are read when the suite loads: write them without ${var}");
      return {};
    }
  }
  const std::string& file = errors->file();
  const size_t slash = file.rfind('/');
  if (slash == std::string::npos) return *list;
  for (std::string& path : *list) {
    if (!path.empty() && path[0] != '/') path = file.substr(0, slash + 1) + path;
  }
  return *list;
}

// `messages:` items: a message, or `pause: D` before the next one.
void ReadMessages(const Field& f, GrpcSpec* grpc, std::vector<YAML::Mark>* marks, ErrorList* errors) {
  std::optional<std::vector<Field>> items = ReadList(f, errors);
  if (!items) return;
  Millis pause{0};
  for (const Field& item : *items) {
    if (item.value.IsMap() && item.value.size() == 1 && item.value.begin()->first.IsScalar() &&
        item.value.begin()->first.Scalar() == "pause") {
      MapReader map(item.value, item.Mark(), "", {"pause"}, errors);
      if (auto d = ReadDuration(map.fields().front(), errors)) pause += *d;
      continue;
    }
    if (auto json = YamlToJson(item, errors)) {
      grpc->messages.push_back({std::move(*json), pause});
      marks->push_back(item.Mark());
    }
    pause = Millis(0);
  }
  if (pause.count() > 0) {  // a pause at the end holds the request stream open that long
    grpc->messages.push_back({nlohmann::json(), pause});
    marks->push_back(f.Mark());
  }
}

// Parses the protos (once per file for the same list) and checks the method and messages.
void CheckSchema(const MapReader& map, GrpcSpec* grpc, const std::vector<YAML::Mark>& marks,
                 ErrorList* errors) {
  const Field* protos = map.Find("protos");
  if (!protos) {
    if (const Field* f = map.Find("import_paths")) errors->Add(f->key_mark, "\"import_paths\" goes with \"protos\"");
    return;  // server reflection at run time
  }
  std::string key;
  for (const auto& p : grpc->protos) key += p + "\n";
  key += "\n";
  for (const auto& p : grpc->import_paths) key += p + "\n";
  auto cached = errors->proto_schemas.find(key);
  if (cached == errors->proto_schemas.end()) {
    auto loaded = ProtoSchema::Load(grpc->protos, grpc->import_paths);
    if (!loaded.ok()) {
      // One entry per problem the parser found, each at the step's `protos:`.
      const std::string& text = loaded.status().message();
      for (size_t pos = 0; pos < text.size();) {
        size_t end = text.find('\n', pos);
        if (end == std::string::npos) end = text.size();
        errors->Add(protos->Mark(), text.substr(pos, end - pos));
        pos = end + 1;
      }
      cached = errors->proto_schemas.emplace(key, nullptr).first;
    } else {
      cached = errors->proto_schemas.emplace(key, loaded.value()).first;
    }
  }
  if (!cached->second) return;  // reported once above
  grpc->schema = cached->second;
  const Field* method = map.Find("method");
  if (!method || grpc->method.empty()) return;
  auto info = grpc->schema->FindMethod(grpc->method);
  if (!info.ok()) {
    errors->Add(method->Mark(), info.status().message());
    return;
  }
  grpc->client_streaming = info->client_streaming;
  grpc->server_streaming = info->server_streaming;
  size_t sent = 0;
  for (const GrpcMessageSpec& m : grpc->messages) sent += m.json.is_null() ? 0 : 1;
  if (!info->client_streaming && sent > 1) {
    errors->Add(map.Find("messages")->Mark(), grpc->method + " is not client-streaming: it takes one message");
  }
  for (size_t i = 0; i < grpc->messages.size(); ++i) {
    if (grpc->messages[i].json.is_null()) continue;
    auto bytes = grpc->schema->JsonToBytes(info->input_type, WithoutTemplates(grpc->messages[i].json).dump());
    if (!bytes.ok()) errors->Add(marks[i], bytes.status().message());
  }
}

}  // namespace

void ReadGrpc(const Field& field, GrpcSpec* grpc, ErrorList* errors) {
  MapReader map(field, kGrpcKeys, errors);
  if (!map.is_map()) return;
  map.Require("method", errors);
  if (!map.Has("target") && !map.Has("socket")) errors->Add(map.mark(), "a grpc step needs \"target\" or \"socket\"");
  if (map.Has("target") && map.Has("socket")) {
    errors->Add(map.Find("socket")->key_mark, "\"target\" and \"socket\" cannot both be set");
  }
  if (map.Has("message") && map.Has("messages")) {
    errors->Add(map.Find("messages")->key_mark, "\"message\" and \"messages\" cannot both be set");
  }
  std::vector<YAML::Mark> marks;  // of each message, for the schema check
  for (const Field& f : map.fields()) {
    if (f.name == "target") {
      if (auto t = ReadTemplate(f, errors)) grpc->target = *t;
    } else if (f.name == "socket") {
      if (auto s = ReadTemplate(f, errors)) grpc->socket = *s;
    } else if (f.name == "method") {
      if (auto m = ReadString(f, errors)) {
        std::string name = (*m)[0] == '/' ? m->substr(1) : *m;
        size_t slash = name.find('/');
        if (slash == std::string::npos || slash == 0 || slash + 1 == name.size() ||
            name.find('/', slash + 1) != std::string::npos) {
          errors->Add(f.Mark(), "\"method\" must be written package.Service/Method (got " + Quoted(*m) + ")");
        } else {
          grpc->method = name;
        }
      }
    } else if (f.name == "metadata") {
      for (auto& [k, v] : ReadTemplateMap(f, errors)) {
        std::string name = k;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        grpc->metadata.emplace_back(name, v);
      }
    } else if (f.name == "timeout") {
      if (auto d = ReadPositiveDuration(f, errors)) grpc->timeout = *d;
    } else if (f.name == "tls") {
      if (auto b = ReadBool(f, errors)) grpc->tls = *b;
    } else if (f.name == "insecure") {
      if (auto b = ReadBool(f, errors)) grpc->insecure = *b;
    } else if (f.name == "message" && !map.Has("messages")) {
      if (auto json = YamlToJson(f, errors)) {
        grpc->messages.push_back({std::move(*json), Millis(0)});
        marks.push_back(f.Mark());
      }
    } else if (f.name == "messages") {
      ReadMessages(f, grpc, &marks, errors);
    } else if (f.name == "hang_up") {
      grpc->hang_up = ReadHangUp(f, GrpcHows(), /*messages=*/true, errors);
    } else if (f.name == "protos") {
      grpc->protos = ReadPaths(f, errors);
      if (f.value.IsSequence() && f.value.size() == 0) errors->Add(f.Mark(), "\"protos\" is empty");
    } else if (f.name == "import_paths") {
      grpc->import_paths = ReadPaths(f, errors);
    }
  }
  if (grpc->insecure && !grpc->tls) errors->Add(map.Find("insecure")->key_mark, "\"insecure\" goes with tls: true");
  // No message at all: one empty request (a unary or server-streaming call needs one);
  // `messages: []` sends none.
  if (!map.Has("message") && !map.Has("messages")) grpc->messages.push_back({nlohmann::json::object(), Millis(0)});
  if (!grpc->protos.empty() || !grpc->import_paths.empty()) CheckSchema(map, grpc, marks, errors);
}

void ReadGrpcExpect(const Field& field, GrpcExpect* expect, ErrorList* errors) {
  MapReader map(field, kGrpcExpectKeys, errors);
  constexpr long long kMax = std::numeric_limits<long long>::max();
  for (const Field& f : map.fields()) {
    if (f.name == "code") {
      std::optional<std::string> text = ReadString(f, errors);
      if (!text) continue;
      if (auto n = ParseStrictInt(*text)) {
        if (*n < 0 || *n > 255) errors->Add(f.Mark(), "\"code\" must be 0..255 or a name like OK (got " + Quoted(*text) + ")");
        else expect->code = static_cast<int>(*n);
      } else if (auto code = GrpcCodeFromName(*text)) {
        expect->code = *code;
      } else {
        errors->Add(f.Mark(), "\"code\" must be a gRPC code like OK, CANCELLED, UNAVAILABLE or a number (got " +
                                  Quoted(*text) + ")");
      }
    } else if (f.name == "min_messages") {
      if (auto n = ReadInt(f, 0, kMax, errors)) expect->min_messages = *n;
    } else if (f.name == "max_messages") {
      if (auto n = ReadInt(f, 0, kMax, errors)) expect->max_messages = *n;
    } else {  // json, first_json
      auto* checks = f.name == "json" ? &expect->json : &expect->first_json;
      MapReader pointers(f, {}, errors);
      for (const Field& p : pointers.fields()) {
        if (!CheckPointer(p.name, p.key_mark, errors)) continue;
        if (auto value = YamlToJson(p, errors)) checks->emplace_back(p.name, std::move(*value));
      }
    }
  }
}

void ReadGrpcCaptures(const Field& field, std::vector<GrpcCapture>* captures, ErrorList* errors) {
  MapReader map(field, {}, errors);
  for (const Field& entry : map.fields()) {
    if (!IsVariableName(entry.name)) {
      errors->Add(entry.key_mark, "capture name " + Quoted(entry.name) + " must be letters, digits, \"_\" and \"-\"");
      continue;
    }
    MapReader spec(entry.value, entry.Mark(),
                   "capture " + Quoted(entry.name) + " must be a map like {json: /header/revision}",
                   kGrpcCaptureKeys, errors);
    if (!spec.is_map() || !spec.Require("json", errors)) continue;
    GrpcCapture c;
    c.name = entry.name;
    std::optional<std::string> pointer = ReadString(*spec.Find("json"), errors);
    if (!pointer || !CheckPointer(*pointer, spec.Find("json")->Mark(), errors)) continue;
    c.json_pointer = *pointer;
    if (const Field* from = spec.Find("from")) {
      std::optional<std::string> which = ReadString(*from, errors);
      if (!which) continue;
      if (*which != "first" && *which != "last") {
        errors->Add(from->Mark(), "\"from\" must be first or last (got " + Quoted(*which) + ")");
        continue;
      }
      c.first = *which == "first";
    }
    captures->push_back(std::move(c));
  }
}

}  // namespace leakprobe
