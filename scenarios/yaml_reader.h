// Helpers that read typed values out of a yaml-cpp tree (a string, a template, an integer, a
// duration, a size, a list, a map of templates) and record every problem in an ErrorList
// (error_list.h) instead of stopping at the first. The maps they read from are yaml_map.h's.
// Internal to scenarios/; only the loader's readers use it. No I/O. Never throws: nothing
// here calls Node::as<>.
#ifndef LEAKPROBE_SCENARIOS_YAML_READER_H_
#define LEAKPROBE_SCENARIOS_YAML_READER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "base/duration.h"
#include "scenarios/error_list.h"
#include "scenarios/yaml_map.h"

namespace leakprobe {

// Each reader records an error and returns nullopt when the value does not fit.

// Any scalar, as written: `name: 42` reads "42".
//   "name" must be a string
//   "name" is empty (write "" for an empty string)
std::optional<std::string> ReadString(const Field& field, ErrorList* errors);
// ReadString plus a ${var} syntax check: unterminated "${" in "${api/x"
std::optional<std::string> ReadTemplate(const Field& field, ErrorList* errors);
// Decimal only ("08080" is 8080; "0x10", "1e3", "1.0" are errors):
//   "max_suspects" must be an integer >= 0 (got "-1")
std::optional<long long> ReadInt(const Field& field, long long min, long long max, ErrorList* errors);
// ParseDuration's forms: "settle": bad duration "5 sec" (write e.g. 250ms, 3s, 2m)
std::optional<Millis> ReadDuration(const Field& field, ErrorList* errors);
// ReadDuration, and more than zero: "timeout" must be more than 0
std::optional<Millis> ReadPositiveDuration(const Field& field, ErrorList* errors);
// ParseByteSize's forms, more than 0: "max_bytes": bad size "3 megs" (write e.g. 64MiB, ...)
std::optional<uint64_t> ReadByteSize(const Field& field, ErrorList* errors);
// A list's items, each named after the list: "steps" must be a list
std::optional<std::vector<Field>> ReadList(const Field& field, ErrorList* errors);
// A list of templates; with `scalar_ok` a single value reads as a list of one.
std::optional<std::vector<std::string>> ReadTemplateList(const Field& field, bool scalar_ok,
                                                         ErrorList* errors);
// A map of NAME: template, in file order (env, headers, vars).
std::vector<std::pair<std::string, std::string>> ReadTemplateMap(const Field& field,
                                                                 ErrorList* errors);

// Strict decimal integer: optional sign, digits only, fits in 64 bits. "08080" -> 8080.
std::optional<long long> ParseStrictInt(std::string_view text);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_YAML_READER_H_
