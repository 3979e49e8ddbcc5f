#include "scenarios/yaml_reader.h"

#include <limits>

#include "base/byte_size.h"
#include "scenarios/template.h"

namespace leakprobe {

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
