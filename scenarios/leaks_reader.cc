#include "scenarios/leaks_reader.h"

#include <limits>

#include <re2/re2.h>

namespace leakprobe {

namespace {

const std::vector<std::string_view> kPatternKeys = {"keyword", "regex",  "top",
                                                    "created_by", "state", "file"};
const std::vector<std::string_view> kLeaksKeys = {"suspects", "ignore", "max_new_goroutines",
                                                  "max_suspects", "settle"};
constexpr std::string_view kRegexPrefix = "regex:";

}  // namespace

std::optional<PatternSpec> ReadPattern(const Field& item, ErrorList* errors) {
  MapReader map(item.value, item.Mark(),
                "a pattern must be a map like {keyword: \"(*Server).logsContainer\"}", kPatternKeys,
                errors);
  if (!map.is_map()) return std::nullopt;
  if (item.value.size() != 1) {
    errors->Add(map.mark(),
                "a pattern has exactly one key (keyword, regex, top, created_by, state or file)");
    return std::nullopt;
  }
  if (map.fields().empty()) return std::nullopt;  // its one key was unknown: reported
  const Field& entry = map.fields().front();
  std::optional<std::string> text = ReadString(entry, errors);
  if (!text) return std::nullopt;

  PatternSpec spec;
  spec.pos = errors->Pos(item.Mark());
  if (entry.name == "keyword" || entry.name == "regex") {
    spec.where = "any";
    spec.is_regex = entry.name == "regex";
    spec.text = *text;
  } else {
    spec.where = entry.name;
    spec.is_regex = text->compare(0, kRegexPrefix.size(), kRegexPrefix) == 0;
    spec.text = spec.is_regex ? text->substr(kRegexPrefix.size()) : *text;
  }
  if (spec.text.empty()) {
    errors->Add(entry.Mark(), "pattern " + Quoted(entry.name) + " is empty");
    return std::nullopt;
  }
  if (spec.is_regex) {
    // Compiled here only to report a bad pattern while the file is at hand; the matchers
    // compile their own copy.
    RE2 re(spec.text, RE2::Quiet);
    if (!re.ok()) {
      errors->Add(entry.Mark(), "bad regex " + Quoted(spec.text) + ": " + re.error());
      return std::nullopt;
    }
  }
  return spec;
}

std::vector<PatternSpec> ReadPatternList(const Field& field, ErrorList* errors) {
  std::vector<PatternSpec> out;
  std::optional<std::vector<Field>> items = ReadList(field, errors);
  if (!items) return out;
  for (const Field& item : *items) {
    std::optional<PatternSpec> spec = ReadPattern(item, errors);
    if (spec) out.push_back(std::move(*spec));
  }
  return out;
}

LeaksSpec ReadLeaks(const Field& field, ErrorList* errors) {
  LeaksSpec spec;
  spec.pos = errors->Pos(field.key_mark);
  MapReader map(field, kLeaksKeys, errors, /*empty_ok=*/true);
  constexpr long long kMaxInt = std::numeric_limits<int>::max();
  for (const Field& f : map.fields()) {
    if (f.name == "suspects") {
      spec.suspects = ReadPatternList(f, errors);
    } else if (f.name == "ignore") {
      spec.ignore = ReadPatternList(f, errors);
    } else if (f.name == "max_new_goroutines") {
      if (auto n = ReadInt(f, 0, kMaxInt, errors)) spec.max_new_goroutines = static_cast<int>(*n);
    } else if (f.name == "max_suspects") {
      if (auto n = ReadInt(f, 0, kMaxInt, errors)) spec.max_suspects = static_cast<int>(*n);
    } else if (f.name == "settle") {
      if (auto d = ReadDuration(f, errors)) spec.settle = *d;
    }
  }
  return spec;
}

}  // namespace leakprobe
