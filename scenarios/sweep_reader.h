// Reads a `sweep:` block of a suite or a scenario (scenarios/suite.h SweepSpec). Internal to
// scenarios/; no I/O.
//
//   sweep: { faults: ["close at sent", "reset at body"], steps: "logs|stop", times: 5, all: false }
//   sweep: {}          # the defaults: every request step, the default faults, 5 rounds
#ifndef LEAKPROBE_SCENARIOS_SWEEP_READER_H_
#define LEAKPROBE_SCENARIOS_SWEEP_READER_H_

#include <optional>

#include "scenarios/suite.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

// Errors: "fault \"drop at sent\": want HOW at sent|status|body or ...",
// "\"steps\": missing ): ..." (a bad RE2), "times" out of 2..1000.
std::optional<SweepSpec> ReadSweep(const Field& field, ErrorList* errors);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_SWEEP_READER_H_
