#include "scenarios/leaks_reader.h"

#include <limits>

#include <re2/re2.h>

namespace leakprobe {

namespace {

const std::vector<std::string_view> kSuspectKeys = {"keyword", "regex", "top",   "created_by",
                                                    "state",   "file",  "label", "max"};
const std::vector<std::string_view> kIgnoreKeys = {"keyword", "regex", "top",   "created_by",
                                                   "state",   "file",  "label", "reason"};
const std::vector<std::string_view> kLeaksKeys = {"suspects", "ignore",   "max_new_goroutines",
                                                  "max_suspects", "settle", "min_wait",
                                                  "against",  "max_proven"};
constexpr std::string_view kRegexPrefix = "regex:";

}  // namespace

std::optional<PatternSpec> ReadPattern(const Field& item, PatternUse use, ErrorList* errors) {
  const bool suspect = use == PatternUse::kSuspect;
  MapReader map(item.value, item.Mark(),
                "a pattern must be a map like {keyword: \"(*Server).logsContainer\"}",
                suspect ? kSuspectKeys : kIgnoreKeys, errors);
  if (!map.is_map()) return std::nullopt;
  const char* extra_key = suspect ? "max" : "reason";
  const Field* max = map.Find("max");
  const Field* extra = map.Find(extra_key);
  size_t matchers = map.fields().size() - (extra ? 1 : 0);
  bool unknown_keys = map.fields().size() < item.value.size();  // reported already
  if (matchers > 1 || (matchers == 0 && !unknown_keys)) {
    errors->Add(map.mark(), std::string("a pattern has exactly one of keyword, regex, top, "
                                        "created_by, state, file or label") +
                                (suspect ? " (plus an optional max)" : " (plus an optional reason)"));
    return std::nullopt;
  }
  if (matchers != 1) return std::nullopt;  // its one key was unknown: reported
  const Field* matcher = nullptr;
  for (const Field& f : map.fields()) {
    if (f.name != extra_key) matcher = &f;
  }
  std::string reason;
  if (const Field* r = map.Find("reason")) {
    std::optional<std::string> text = ReadString(*r, errors);
    if (!text) return std::nullopt;
    reason = *text;
  }
  const Field& entry = *matcher;
  std::optional<int> max_value;
  if (max) {
    std::optional<long long> n = ReadInt(*max, 0, std::numeric_limits<int>::max(), errors);
    if (!n) return std::nullopt;
    max_value = static_cast<int>(*n);
  }
  std::optional<std::string> text = ReadString(entry, errors);
  if (!text) return std::nullopt;

  PatternSpec spec;
  spec.pos = errors->Pos(item.Mark());
  spec.max = max_value;
  spec.reason = reason;
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

std::vector<PatternSpec> ReadPatternList(const Field& field, PatternUse use, ErrorList* errors) {
  std::vector<PatternSpec> out;
  std::optional<std::vector<Field>> items = ReadList(field, errors);
  if (!items) return out;
  for (const Field& item : *items) {
    std::optional<PatternSpec> spec = ReadPattern(item, use, errors);
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
      spec.suspects = ReadPatternList(f, PatternUse::kSuspect, errors);
    } else if (f.name == "ignore") {
      spec.ignore = ReadPatternList(f, PatternUse::kIgnore, errors);
    } else if (f.name == "max_new_goroutines") {
      if (auto n = ReadInt(f, 0, kMaxInt, errors)) spec.max_new_goroutines = static_cast<int>(*n);
    } else if (f.name == "max_suspects") {
      if (auto n = ReadInt(f, 0, kMaxInt, errors)) spec.max_suspects = static_cast<int>(*n);
    } else if (f.name == "max_proven") {
      if (auto n = ReadInt(f, 0, kMaxInt, errors)) spec.max_proven = static_cast<int>(*n);
    } else if (f.name == "settle") {
      if (auto d = ReadDuration(f, errors)) spec.settle = *d;
    } else if (f.name == "min_wait") {
      std::optional<Millis> d = ReadDuration(f, errors);
      if (d && d->count() % 60000 != 0) {
        errors->Add(f.Mark(), "\"min_wait\" must be whole minutes (a dump counts waits in "
                              "minutes): write e.g. 5m");
      } else if (d) {
        spec.min_wait_minutes = static_cast<int>(d->count() / 60000);
      }
    } else if (f.name == "against") {
      if (auto name = ReadString(f, errors)) {
        if (name->empty() || name == std::string("baseline")) spec.against.clear();
        else spec.against = *name;
        if (errors->var_check && !spec.against.empty()) {
          SourcePos at = errors->Pos(f.Mark());
          errors->var_check->UseSnapshot(spec.against, at.line, at.col);
        }
      }
    }
  }
  return spec;
}

}  // namespace leakprobe
