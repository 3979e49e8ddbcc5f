// Reads the `expect:` and `capture:` maps of http and exec steps. Internal to scenarios/;
// no I/O.
#ifndef LEAKPROBE_SCENARIOS_EXPECT_READER_H_
#define LEAKPROBE_SCENARIOS_EXPECT_READER_H_

#include <optional>
#include <string>
#include <vector>

#include "scenarios/suite.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

// `expect: { status: [200, 204], headers: {K: V}, body_contains: x, body_regex: RE2,
//            json: { /State/Running: true }, min_bytes: 1, min_lines: 1, exit_code: 0 }`;
// status and headers go with http only, exit_code with exec only:
//   "exit_code" goes only with an "exec" step
//   bad regex "a(": missing ): a(
//   bad JSON pointer "Id": it must be empty or start with "/"
void ReadExpect(const Field& field, Step::Kind kind, ExpectSpec* expect, ErrorList* errors);

// `capture: { cid: { json: /Id }, n: { regex: "n=(\\d+)" }, loc: { header: Location },
//             out: { stdout: true } }` (stdout with exec only, header with http only):
//   a capture has exactly one of json, regex, header or stdout
//   regex "n=\d+" has no (group) to capture
void ReadCaptures(const Field& field, Step::Kind kind, std::vector<CaptureSpec>* captures,
                  ErrorList* errors);

// One RE2 regex or a list of them, each checked (CheckRegex), appended to *out.
void ReadRegexList(const Field& f, std::vector<std::string>* out, ErrorList* errors);

// `json: { /State/Running: true }`: JSON pointers and the values they must hold.
void ReadJsonExpect(const Field& f, ExpectSpec* expect, ErrorList* errors);
// An RFC 6901 pointer ("", "/Id", "/a~1b/0"), else records at `mark`:
//   bad JSON pointer "Id": it must be empty or start with "/"
bool CheckPointer(const std::string& pointer, const YAML::Mark& mark, ErrorList* errors);

// `true`/`false` (also True, TRUE...): "shell" must be true or false
std::optional<bool> ReadBool(const Field& f, ErrorList* errors);

// Compiles `text` as RE2, recording RE2's own message at `f` when it does not compile, or
// `regex "x" has no (group) to capture` when `needs_group` and it has none.
bool CheckRegex(const Field& f, const std::string& text, bool needs_group, ErrorList* errors);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_EXPECT_READER_H_
