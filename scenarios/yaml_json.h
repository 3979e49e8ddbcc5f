// YAML values to JSON, for an http step's `json:` body. Internal to scenarios/; no I/O.
#ifndef LEAKPROBE_SCENARIOS_YAML_JSON_H_
#define LEAKPROBE_SCENARIOS_YAML_JSON_H_

#include <optional>

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "scenarios/yaml_reader.h"

namespace leakprobe {

// Converts `field`'s value: map -> object (first of duplicate keys wins, as in yaml-cpp),
// list -> array, empty/~/null -> null. A quoted scalar stays a string ("201" -> "201");
// a plain one becomes true/false, null, a number when it is written as a JSON number
// (201, -1.5, 1e3), else a string (08080, 0x1F, .inf, yes stay strings).
//   { Cmd: [silent], Tty: false, N: 2, Id: "42" } -> {"Cmd":["silent"],"Tty":false,"N":2,"Id":"42"}
// String leaves are templates; a syntax error there is recorded. Errors also for
// non-text keys and nesting deeper than 64 levels (a recursive alias).
std::optional<nlohmann::json> YamlToJson(const Field& field, ErrorList* errors);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_YAML_JSON_H_
