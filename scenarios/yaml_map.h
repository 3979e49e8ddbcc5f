// A YAML map read as the scenario format reads it: its entries as Fields, checked against
// the keys its section allows ("unknown key \"mehtod\" (did you mean \"method\"?)"). Internal
// to scenarios/. No I/O. Never throws: nothing here calls Node::as<>.
//
// Trap kept away from callers: assigning one YAML::Node to another rewrites the tree
// (Node::operator= assigns through), so Field and MapReader are copied, never assigned.
#ifndef LEAKPROBE_SCENARIOS_YAML_MAP_H_
#define LEAKPROBE_SCENARIOS_YAML_MAP_H_

#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "scenarios/error_list.h"

namespace leakprobe {

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

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_YAML_MAP_H_
