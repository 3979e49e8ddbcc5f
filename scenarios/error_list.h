// The problems found in one scenario file, collected as "file:line:col: message" instead of
// stopping at the first, and the one way messages quote a key or a value. Internal to
// scenarios/. No I/O; not thread-safe (one list per file being read).
#ifndef LEAKPROBE_SCENARIOS_ERROR_LIST_H_
#define LEAKPROBE_SCENARIOS_ERROR_LIST_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

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

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_ERROR_LIST_H_
