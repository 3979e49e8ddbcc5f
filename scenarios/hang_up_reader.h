// Reads a `hang_up:` block (scenarios/hang_up.h) for any streaming step kind. Internal to
// scenarios/; no I/O.
#ifndef LEAKPROBE_SCENARIOS_HANG_UP_READER_H_
#define LEAKPROBE_SCENARIOS_HANG_UP_READER_H_

#include <optional>
#include <vector>

#include "scenarios/hang_up.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

// Reads `hang_up: { after: 3s | at: sent|status|body | messages: N, how: ..., stall_for: D }`.
// `hows` lists the ways this step kind can leave (an http step has no "cancel"); `messages`
// says whether `messages: N` applies. Exactly one of after, at, messages is required. Errors:
//   "hang_up" needs after or at         ("... one of after, at or messages" where messages apply)
//   "after" and "at" cannot both be set
//   "at" must be one of sent, status, body (got "headers")
//   "how" must be one of close, reset, stall, half_close (got "cancel")
//   "stall_for" goes with how: stall
std::optional<HangUpSpec> ReadHangUp(const Field& field, const std::vector<HangUpSpec::How>& hows,
                                     bool messages, ErrorList* errors);

// The ways of leaving an http step (and an upgraded stream) can take.
const std::vector<HangUpSpec::How>& HttpHows();

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_HANG_UP_READER_H_
