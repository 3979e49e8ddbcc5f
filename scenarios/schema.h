// The JSON Schema (draft-07) of the scenario format, for editors: yaml-language-server
// completes and checks scenario files with it (`# yaml-language-server: $schema=...`).
// It describes shapes only; `leakprobe validate` also checks what a schema cannot say
// (regexes compile, ${vars} are defined, durations parse, no duplicate keys). Pure.
#ifndef LEAKPROBE_SCENARIOS_SCHEMA_H_
#define LEAKPROBE_SCENARIOS_SCHEMA_H_

namespace leakprobe {

// The schema as JSON text, starting with a newline.
const char* ScenarioJsonSchema();

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_SCHEMA_H_
