// Helpers that read typed values out of a yaml-cpp tree and collect every problem as
// "file:line:col: message" instead of stopping at the first. Internal to scenarios/; only
// the loader's readers use it. No I/O. Never throws: nothing here calls Node::as<>.
//
// Trap kept away from callers: assigning one YAML::Node to another rewrites the tree
// (Node::operator= assigns through), so Field and MapReader are copied, never assigned.
#ifndef LEAKPROBE_SCENARIOS_YAML_READER_H_
#define LEAKPROBE_SCENARIOS_YAML_READER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/duration.h"
#include "scenarios/suite.h"
#include "scenarios/var_check.h"

namespace leakprobe {

class ProtoSchema;  // grpc_schema.h

// The problems found in one file.
class ErrorList {
 public:
  explicit ErrorList(std::string file) : file_(std::move(file)) {}

  // Records "file:line:col: message"; `mark` is yaml-cpp's 0-based mark (a null mark
  // becomes 1:1).
  void Add(const YAML::Mark& mark, const std::string& message);
  // `line` and `col` are 1-based.
  void AddAt(int line, int col, const std::string& message);

  SourcePos Pos(const YAML::Mark& mark) const;
  // Records the ${names} of a template at `mark` for the undefined-variable check, when
  // one is attached (var_check); otherwise does nothing.
  void UseVars(std::string_view text, const YAML::Mark& mark);
  VarCheck* var_check = nullptr;  // not owned
  // The grpc steps' parsed protos, by their list of files and import paths, so a file whose
  // steps share protos parses them once (null: they did not parse, reported already).
  std::map<std::string, std::shared_ptr<const ProtoSchema>> proto_schemas;
  const std::string& file() const { return file_; }
  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  // One error per line, ordered by position (then by discovery), duplicates dropped.
  std::string ToString() const;

 private:
  struct Entry {
    int line;
    int col;
    std::string message;
  };
  std::string file_;
  std::vector<Entry> entries_;
};

// "\"url\"": keys and values are quoted the same way in every message. Text longer than
// 80 bytes is cut to 77 and "..." (a runaway quote can make a key of a whole file).
std::string Quoted(std::string_view text);

// One value as it appears in the file, with the name it goes by in messages: a map entry
// (name = its key) or a list item (name = the list's key).
struct Field {
  std::string name;
  YAML::Mark key_mark;
  YAML::Node value;

  Field& operator=(const Field&) = delete;  // would write through into the tree

  // Where to point at the value. An empty value ("url:") has no place of its own (yaml-cpp
  // marks the next token), so it points at the key.
  YAML::Mark Mark() const;
};

// A YAML map checked against the keys its section allows. Duplicate keys are not its
// business (CheckDocument reports them for every map).
class MapReader {
 public:
  // `node` must be a map; if it is not, records `not_a_map` (e.g. "\"target\" must be a map")
  // at `mark` and reads as empty. With a non-empty `allowed`, every other key is reported:
  //   unknown key "mehtod" (did you mean "method"?)
  //   unknown key "foo" (expected one of: method, url, headers)
  // Keys that are not plain text (`? [a, b]`) and merge keys (`<<: *defaults`, which
  // yaml-cpp 0.7 reads as a plain key) are always reported.
  // Keys in `unlisted` are accepted but neither suggested nor listed (the caller reports
  // them its own way).
  MapReader(const YAML::Node& node, const YAML::Mark& mark, const std::string& not_a_map,
            const std::vector<std::string_view>& allowed, ErrorList* errors,
            const std::vector<std::string_view>& unlisted = {});
  // Reads `field`'s value; the message is "\"<name>\" must be a map". An empty value
  // ("check:") reads as an empty map when `empty_ok`.
  MapReader(const Field& field, const std::vector<std::string_view>& allowed, ErrorList* errors,
            bool empty_ok = false);

  bool is_map() const { return is_map_; }
  // The first entry under `key`, or nullptr.
  const Field* Find(std::string_view key) const;
  bool Has(std::string_view key) const { return Find(key) != nullptr; }
  // Every entry in file order.
  const std::vector<Field>& fields() const { return fields_; }
  // The map's own mark: where a missing key is reported.
  const YAML::Mark& mark() const { return mark_; }

  // Records `missing key "url"` at the map's mark when `key` is absent; returns whether present.
  bool Require(std::string_view key, ErrorList* errors) const;

 private:
  void Read(const YAML::Node& node, const std::string& not_a_map,
            const std::vector<std::string_view>& allowed,
            const std::vector<std::string_view>& unlisted, ErrorList* errors);
  bool is_map_ = false;
  YAML::Mark mark_;
  std::vector<Field> fields_;
};

// Each reader records an error and returns nullopt when the value does not fit.

// Any scalar, as written: `name: 42` reads "42".
//   "name" must be a string
//   "name" is empty (write "" for an empty string)
std::optional<std::string> ReadString(const Field& field, ErrorList* errors);
// ReadString plus a ${var} syntax check: unterminated "${" in "${api/x"
std::optional<std::string> ReadTemplate(const Field& field, ErrorList* errors);
// Decimal only ("08080" is 8080; "0x10", "1e3", "1.0" are errors):
//   "max_suspects" must be an integer >= 0 (got "-1")
std::optional<long long> ReadInt(const Field& field, long long min, long long max, ErrorList* errors);
// ParseDuration's forms: "settle": bad duration "5 sec" (write e.g. 250ms, 3s, 2m)
std::optional<Millis> ReadDuration(const Field& field, ErrorList* errors);
// ReadDuration, and more than zero: "timeout" must be more than 0
std::optional<Millis> ReadPositiveDuration(const Field& field, ErrorList* errors);
// ParseByteSize's forms, more than 0: "max_bytes": bad size "3 megs" (write e.g. 64MiB, ...)
std::optional<uint64_t> ReadByteSize(const Field& field, ErrorList* errors);
// A list's items, each named after the list: "steps" must be a list
std::optional<std::vector<Field>> ReadList(const Field& field, ErrorList* errors);
// A list of templates; with `scalar_ok` a single value reads as a list of one.
std::optional<std::vector<std::string>> ReadTemplateList(const Field& field, bool scalar_ok,
                                                         ErrorList* errors);
// A map of NAME: template, in file order (env, headers, vars).
std::vector<std::pair<std::string, std::string>> ReadTemplateMap(const Field& field,
                                                                 ErrorList* errors);

// Strict decimal integer: optional sign, digits only, fits in 64 bits. "08080" -> 8080.
std::optional<long long> ParseStrictInt(std::string_view text);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_YAML_READER_H_
