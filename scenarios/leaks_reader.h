// Reads `leaks:` blocks, `check:` steps and pattern lists (`suspects:`, `ignore:`) into
// LeaksSpec / PatternSpec. Internal to scenarios/; no I/O.
#ifndef LEAKPROBE_SCENARIOS_LEAKS_READER_H_
#define LEAKPROBE_SCENARIOS_LEAKS_READER_H_

#include <optional>
#include <vector>

#include "scenarios/suite.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

// One list item, a one-key map:
//   - keyword: "(*Server).logsContainer"      where "any", a substring
//   - regex: "^main\\.readLogMessages$"       where "any", RE2
//   - top: "regex:^main\\."                   where "top"; "regex:" makes it RE2
// Errors: `bad regex "(": missing ): (` (RE2's own words, at the value),
// `a pattern has exactly one key (keyword, regex, top, created_by, state, file or label)`,
// `pattern "keyword" is empty`, unknown keys with a did-you-mean.
// A suspect may also hold `max: N` (at most N suspects of this pattern: `- {keyword: X, max: 2}`);
// an ignore entry `reason: "..."` (a known leak: `- {top: main.(*Cache).refresh, reason: "#12"}`).
enum class PatternUse { kSuspect, kIgnore };
std::optional<PatternSpec> ReadPattern(const Field& item, PatternUse use, ErrorList* errors);

// A list of patterns: "suspects" must be a list
std::vector<PatternSpec> ReadPatternList(const Field& field, PatternUse use, ErrorList* errors);

// `leaks: { suspects: [...], ignore: [...], max_new_goroutines: 0, max_suspects: 0, settle: 5s,
//           min_wait: 1m, against: before }`: min_wait in whole minutes (`bad` otherwise);
// `against` names a snapshot step's dump to use instead of the baseline.
// Every key is optional; an empty value ("check:") is a block with the defaults.
// pos is the key's ("leaks:" / "check:").
LeaksSpec ReadLeaks(const Field& field, ErrorList* errors);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_LEAKS_READER_H_
