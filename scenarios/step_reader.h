// Reads step lists (`setup:`, `steps:`, `teardown:`) into Step values. Internal to
// scenarios/; no I/O.
#ifndef LEAKPROBE_SCENARIOS_STEP_READER_H_
#define LEAKPROBE_SCENARIOS_STEP_READER_H_

#include <vector>

#include "scenarios/suite.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

// Each item holds exactly one of `http`, `sleep` (a duration), `check` (a leaks block),
// plus optional `name`; `expect` and `capture` go with `http` only:
//   - name: create
//     http: { method: POST, url: "${api}/containers/create", json: { Cmd: [silent] } }
//     expect: { status: 201 }
//     capture: { cid: { json: /Id } }
// Errors, among others:
//   "steps" must be a list
//   step needs one of "http", "sleep" or "check"
//   step has both "http" and "sleep"; write one per step
//   step kind "exec" is not supported yet (write http, sleep or check)
//   missing key "url"                                (at the http map)
//   "status" must be an integer from 100 to 599 (got "600")
//   bad JSON pointer "Id": it must be empty or start with "/"
// Items that are not a map or have no kind are left out; the ErrorList has the reason.
std::vector<Step> ReadSteps(const Field& field, ErrorList* errors);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_STEP_READER_H_
