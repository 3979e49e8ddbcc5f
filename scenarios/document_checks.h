// Checks over a whole parsed YAML document for what yaml-cpp 0.7 accepts without a word.
// Internal to scenarios/; no I/O.
#ifndef LEAKPROBE_SCENARIOS_DOCUMENT_CHECKS_H_
#define LEAKPROBE_SCENARIOS_DOCUMENT_CHECKS_H_

#include <optional>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "scenarios/yaml_reader.h"

namespace leakprobe {

// Walks every node of `root` (parsed from `source`) and records:
//   duplicate key "url" (first at line 5)          yaml-cpp keeps both; lookups see the first
//   unterminated string: this " is never closed and swallows the rest of the file
//   unterminated string? this " runs on to line 9, swallowing "method: GET"
// The second form is a heuristic: a quoted scalar that continues past its first line over
// a line that reads like `key: value`.
// Returns false, after recording why, when the tree is nested deeper than 100 levels or
// expands to more than a million nodes through aliases (`&a [*a]` is a cycle): such a
// tree must not be walked any further.
bool CheckDocument(const YAML::Node& root, std::string_view source, ErrorList* errors);

// Where a quoted string first opens and is not closed on the same line, or nullopt: a
// lexical scan for a hint when yaml-cpp reports a syntax error further down, as in
//   http: { url: "${api}/x, method: POST }
// Single quotes count only where a scalar can start (so "container's" is no quote).
// Block scalars are not recognised, so a quote inside one may be named: hint only.
struct LineCol {
  int line;  // 1-based
  int col;   // 1-based, in bytes
  char quote;
};
std::optional<LineCol> FindMultiLineQuote(std::string_view source);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_DOCUMENT_CHECKS_H_
