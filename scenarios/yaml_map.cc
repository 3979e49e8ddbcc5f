#include "scenarios/yaml_map.h"

#include <algorithm>

#include "scenarios/did_you_mean.h"

namespace leakprobe {

YAML::Mark Field::Mark() const { return value.IsNull() ? key_mark : value.Mark(); }

MapReader::MapReader(const YAML::Node& node, const YAML::Mark& mark, const std::string& not_a_map,
                     const std::vector<std::string_view>& allowed, ErrorList* errors,
                     const std::vector<std::string_view>& unlisted)
    : mark_(mark) {
  Read(node, not_a_map, allowed, unlisted, errors);
}

MapReader::MapReader(const Field& field, const std::vector<std::string_view>& allowed,
                     ErrorList* errors, bool empty_ok)
    : mark_(field.Mark()) {
  if (empty_ok && field.value.IsNull()) {
    is_map_ = true;
    return;
  }
  Read(field.value, Quoted(field.name) + " must be a map", allowed, {}, errors);
}

void MapReader::Read(const YAML::Node& node, const std::string& not_a_map,
                     const std::vector<std::string_view>& allowed,
                     const std::vector<std::string_view>& unlisted, ErrorList* errors) {
  if (!node.IsMap()) {
    errors->Add(mark_, not_a_map);
    return;
  }
  is_map_ = true;
  for (const auto& kv : node) {  // named: it->first would dangle (a proxy)
    const YAML::Node& key = kv.first;
    if (!key.IsScalar()) {
      errors->Add(key.Mark(), "keys must be plain text");
      continue;
    }
    const std::string& name = key.Scalar();
    if (name == "<<") {
      errors->Add(key.Mark(), "merge keys (\"<<\") are not supported: write the keys out");
      continue;
    }
    bool known = std::find(allowed.begin(), allowed.end(), name) != allowed.end() ||
                 std::find(unlisted.begin(), unlisted.end(), name) != unlisted.end();
    if (!allowed.empty() && !known) {
      std::string guess = DidYouMean(name, allowed);
      std::string hint;
      if (!guess.empty()) {
        hint = " (did you mean " + Quoted(guess) + "?)";
      } else {
        hint = " (expected one of: ";
        for (size_t i = 0; i < allowed.size(); ++i) {
          hint += (i ? ", " : "") + std::string(allowed[i]);
        }
        hint += ")";
      }
      errors->Add(key.Mark(), "unknown key " + Quoted(name) + hint);
      continue;
    }
    fields_.push_back(Field{name, key.Mark(), kv.second});
  }
}

const Field* MapReader::Find(std::string_view key) const {
  for (const Field& f : fields_) {
    if (f.name == key) return &f;
  }
  return nullptr;
}

bool MapReader::Require(std::string_view key, ErrorList* errors) const {
  if (Has(key)) return true;
  // A value that is not a map was reported already; a missing key would only repeat it.
  if (is_map_) errors->Add(mark_, "missing key " + Quoted(key));
  return false;
}

}  // namespace leakprobe
