// Reads the hijacked-connection parts of a scenario (scenarios/websocket_spec.h): a
// `websocket:` step, an http step's `upgrade:` with the keys that go with it, and the
// nested `expect:` maps that check what these connections received. Internal to scenarios/;
// no I/O.
#ifndef LEAKPROBE_SCENARIOS_WEBSOCKET_READER_H_
#define LEAKPROBE_SCENARIOS_WEBSOCKET_READER_H_

#include <string_view>
#include <vector>

#include "scenarios/suite.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

// `websocket: { url, socket, headers, subprotocols, send, read_for, hang_up, timeout,
// insecure, max_messages }`. Errors:
//   "url" must start with ws:// or wss:// (got "http://x")
//   "send" item must be a string or a map like {text: "hi", after: 1s}
void ReadWebSocket(const Field& field, WebSocketSpec* ws, ErrorList* errors);

// The keys an http map takes for an upgraded stream, read by ReadUpgradeKeys.
const std::vector<std::string_view>& UpgradeKeys();
// Fills http->upgrade from `upgrade:`, `send:`, `close_stdin:`, `read_for:` and `demux:` of
// an http map. Errors: "send" goes only with "upgrade"; bad upgrade token "a b".
void ReadUpgradeKeys(const MapReader& map, HttpSpec* http, ErrorList* errors);

// `expect: { output: { contains, regex, min_bytes } }` (an upgraded http step) and
// `expect: { messages: { min, contains, regex, json } }` (a websocket step) fill the body
// checks of *expect: the stream's bytes, or the messages one per line (json: any message).
void ReadStreamExpect(const Field& field, ExpectSpec* expect, ErrorList* errors);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_WEBSOCKET_READER_H_
