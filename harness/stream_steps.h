// What the steps that hold a connection open (an http step with upgrade, a websocket step)
// share: expanding their templates and reporting a failed exchange. Internal to harness/;
// no I/O of its own.
#ifndef LEAKPROBE_HARNESS_STREAM_STEPS_H_
#define LEAKPROBE_HARNESS_STREAM_STEPS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "harness/step_kinds.h"

namespace leakprobe {

using NameValues = std::vector<std::pair<std::string, std::string>>;

// Expands the url, the socket and each header value of a streaming step into the out params.
Status ExpandTarget(const std::string& url, const std::string& socket, const NameValues& headers,
                    const ScenarioContext& ctx, std::string* url_out, std::string* socket_out,
                    NameValues* headers_out);

// Ends a wait when the scenario's target has died (empty without a target).
std::function<bool()> TargetGone(const ScenarioContext& ctx);

// The outcome of an exchange that did not complete: its own timeout ("... no response within
// 30s") is a failure the step checks, anything else (refused, a protocol error) an error.
Outcome StreamFailure(const Status& status, const std::string& label, ScenarioContext* ctx);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_STREAM_STEPS_H_
