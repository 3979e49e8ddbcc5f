// Reads step lists (`setup:`, `steps:`, `teardown:`) into Step values. Internal to
// scenarios/; no I/O.
#ifndef LEAKPROBE_SCENARIOS_STEP_READER_H_
#define LEAKPROBE_SCENARIOS_STEP_READER_H_

#include <vector>

#include "scenarios/suite.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

// Each item holds exactly one kind key, plus optional `name`; `expect` and `capture` go
// with `http` and `exec` only:
//   - name: create
//     http: { method: POST, url: "${api}/containers/create", json: { Cmd: [silent] } }
//     expect: { status: 201, headers: { Api-Version: "1.24" }, json: { /Warnings: [] } }
//     capture: { cid: { json: /Id }, where: { header: Location }, n: { regex: "n=(\\d+)" } }
//   - exec: { run: [pouch, ps, -q], env: { A: b }, cwd: /tmp, timeout: 10s }
//     expect: { exit_code: 0, body_contains: "${cid}" }      # the body is stdout
//     capture: { out: { stdout: true } }
//   - sleep: 1s
//   - check: { max_new_goroutines: 0, against: before }
//   - snapshot: before
//   - wait_until: { interval: 200ms, timeout: 10s, steps: [ ... ] }
//   - repeat: { times: 200, concurrency: 200, steps: [ ... ] }
//   - parallel: [ step, step ]
// Errors, among others:
//   "steps" must be a list
//   step needs one of http, exec, grpc, sleep, check, wait_until, repeat, parallel or snapshot
//   step has both "http" and "sleep"; write one per step
//   missing key "url"                                (at the http map)
//   "status" must be an integer from 100 to 599 (got "600")
//   bad JSON pointer "Id": it must be empty or start with "/"
//   regex "id=\w+" has no (group) to capture
// Items that are not a map or have no kind are left out; the ErrorList has the reason.
// With errors->var_check set, each step's captures and snapshot are defined for the steps
// read after it.
std::vector<Step> ReadSteps(const Field& field, ErrorList* errors);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_STEP_READER_H_
