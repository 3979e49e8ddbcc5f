#include "scenarios/yaml_reader.h"

#include <algorithm>
#include <limits>
#include <unordered_set>

#include "base/byte_size.h"
#include "scenarios/did_you_mean.h"
#include "scenarios/template.h"

namespace leakprobe {

void ErrorList::Add(const YAML::Mark& mark, const std::string& message) {
  SourcePos pos = Pos(mark);
  AddAt(pos.line, pos.col, message);
}

void ErrorList::AddAt(int line, int col, const std::string& message) {
  entries_.push_back({line, col, message});
}

SourcePos ErrorList::Pos(const YAML::Mark& mark) const {
  SourcePos pos;
  pos.file = file_;
  pos.line = mark.line >= 0 ? mark.line + 1 : 1;
  pos.col = mark.column >= 0 ? mark.column + 1 : 1;
  return pos;
}

void ErrorList::UseVars(std::string_view text, const YAML::Mark& mark) {
  if (!var_check) return;
  SourcePos pos = Pos(mark);
  var_check->Use(text, pos.line, pos.col);
}

std::string ErrorList::ToString() const {
  std::vector<const Entry*> sorted;
  for (const Entry& e : entries_) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) {
    return a->line != b->line ? a->line < b->line : a->col < b->col;
  });
  std::string out;
  std::unordered_set<std::string> seen;
  for (const Entry* e : sorted) {
    std::string line = file_ + ":" + std::to_string(e->line) + ":" + std::to_string(e->col) +
                       ": " + e->message;
    // An alias visits the same node twice; say each thing once.
    if (!seen.insert(line).second) continue;
    if (!out.empty()) out += "\n";
    out += line;
  }
  return out;
}

std::string Quoted(std::string_view text) {
  constexpr size_t kMax = 80;
  if (text.size() > kMax) return "\"" + std::string(text.substr(0, kMax - 3)) + "...\"";
  return "\"" + std::string(text) + "\"";
}

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

std::optional<std::string> ReadString(const Field& field, ErrorList* errors) {
  if (field.value.IsScalar()) return field.value.Scalar();
  if (field.value.IsNull()) {
    errors->Add(field.Mark(), Quoted(field.name) + " is empty (write \"\" for an empty string)");
  } else {
    errors->Add(field.Mark(), Quoted(field.name) + " must be a string");
  }
  return std::nullopt;
}

std::optional<std::string> ReadTemplate(const Field& field, ErrorList* errors) {
  std::optional<std::string> text = ReadString(field, errors);
  if (!text) return std::nullopt;
  Status syntax = CheckTemplate(*text);
  if (!syntax.ok()) {
    errors->Add(field.Mark(), syntax.message());
    return std::nullopt;
  }
  errors->UseVars(*text, field.Mark());
  return text;
}

std::optional<long long> ParseStrictInt(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  if (i == text.size()) return std::nullopt;
  long long value = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (value > (std::numeric_limits<long long>::max() - (c - '0')) / 10) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

std::optional<long long> ReadInt(const Field& field, long long min, long long max,
                                 ErrorList* errors) {
  std::optional<long long> value;
  if (field.value.IsScalar()) value = ParseStrictInt(field.value.Scalar());
  if (value && *value >= min && *value <= max) return value;
  // An upper bound that is only the type's limit is not worth saying.
  std::string range = max >= std::numeric_limits<int>::max()
                          ? ">= " + std::to_string(min)
                          : "from " + std::to_string(min) + " to " + std::to_string(max);
  std::string got = field.value.IsScalar() ? Quoted(field.value.Scalar())
                    : field.value.IsNull() ? "nothing"
                    : field.value.IsMap()  ? "a map"
                                           : "a list";
  errors->Add(field.Mark(), Quoted(field.name) + " must be an integer " + range + " (got " + got + ")");
  return std::nullopt;
}

std::optional<Millis> ReadDuration(const Field& field, ErrorList* errors) {
  std::optional<std::string> text = ReadString(field, errors);
  if (!text) return std::nullopt;
  Result<Millis> d = ParseDuration(*text);
  if (!d.ok()) {
    errors->Add(field.Mark(), Quoted(field.name) + ": " + d.status().message());
    return std::nullopt;
  }
  return d.value();
}

std::optional<uint64_t> ReadByteSize(const Field& field, ErrorList* errors) {
  std::optional<std::string> text = ReadString(field, errors);
  if (!text) return std::nullopt;
  Result<uint64_t> n = ParseByteSize(*text);
  if (!n.ok()) {
    errors->Add(field.Mark(), Quoted(field.name) + ": " + n.status().message());
    return std::nullopt;
  }
  if (n.value() == 0) {
    errors->Add(field.Mark(), Quoted(field.name) + " must be more than 0");
    return std::nullopt;
  }
  return n.value();
}

std::optional<Millis> ReadPositiveDuration(const Field& f, ErrorList* errors) {
  std::optional<Millis> d = ReadDuration(f, errors);
  if (d && d->count() <= 0) {
    errors->Add(f.Mark(), Quoted(f.name) + " must be more than 0");
    return std::nullopt;
  }
  return d;
}

std::optional<std::vector<Field>> ReadList(const Field& field, ErrorList* errors) {
  if (!field.value.IsSequence()) {
    errors->Add(field.Mark(), Quoted(field.name) + " must be a list");
    return std::nullopt;
  }
  std::vector<Field> items;
  for (const YAML::Node& item : field.value) {
    // An empty item ("- ") has no mark of its own; point at the list.
    YAML::Mark mark = item.IsNull() ? field.Mark() : item.Mark();
    items.push_back(Field{field.name, mark, item});
  }
  return items;
}

std::optional<std::vector<std::string>> ReadTemplateList(const Field& field, bool scalar_ok,
                                                         ErrorList* errors) {
  if (scalar_ok && field.value.IsScalar()) {
    std::optional<std::string> one = ReadTemplate(field, errors);
    if (!one) return std::nullopt;
    return std::vector<std::string>{*one};
  }
  if (!field.value.IsSequence()) {
    errors->Add(field.Mark(), Quoted(field.name) +
                                  (scalar_ok ? " must be a string or a list of strings"
                                             : " must be a list of strings"));
    return std::nullopt;
  }
  std::optional<std::vector<Field>> items = ReadList(field, errors);
  std::vector<std::string> out;
  bool ok = true;
  for (const Field& item : *items) {
    if (!item.value.IsScalar()) {
      errors->Add(item.Mark(), Quoted(field.name) + " items must be strings");
      ok = false;
      continue;
    }
    std::optional<std::string> text = ReadTemplate(item, errors);
    if (text) out.push_back(*text);
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return out;
}

std::vector<std::pair<std::string, std::string>> ReadTemplateMap(const Field& field,
                                                                 ErrorList* errors) {
  std::vector<std::pair<std::string, std::string>> out;
  MapReader map(field, {}, errors);
  for (const Field& entry : map.fields()) {
    std::optional<std::string> value = ReadTemplate(entry, errors);
    if (value) out.emplace_back(entry.name, *value);
  }
  return out;
}

}  // namespace leakprobe
