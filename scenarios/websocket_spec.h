// The model of the two kinds of hijacked connection a scenario can open: an http step that
// upgrades its connection to a raw duplex stream (`upgrade: tcp`, as Docker's attach and exec
// do), and a `websocket:` step. Both write a list of things, each after an optional pause, read
// what comes back, and leave as their hang_up says (scenarios/hang_up.h), so the sweep can vary
// it. Strings may still hold "${var}" templates. Plain values; no I/O.
#ifndef LEAKPROBE_SCENARIOS_WEBSOCKET_SPEC_H_
#define LEAKPROBE_SCENARIOS_WEBSOCKET_SPEC_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/duration.h"
#include "scenarios/hang_up.h"

namespace leakprobe {

// One item of `send:`: "text" (the short form), or {text: T, after: D} / {binary: B, after: D}.
// YAML's double-quoted escapes ("\n", "\x03") are how control bytes are written.
struct StreamSend {
  std::string data;   // template
  bool binary = false;  // websocket: a binary message; an upgraded stream has only bytes
  Millis pause{0};    // `after: D`: waits this long (reading meanwhile) before writing
};

// An http step's `upgrade: tcp` and what goes with it.
struct UpgradeSpec {
  enum class Demux { kAuto, kDocker, kNone };
  std::string protocol;               // the Upgrade: token ("tcp", "h2c", ...)
  std::vector<StreamSend> send;
  bool close_stdin = false;           // shutdown(SHUT_WR) after the last send
  // How long to keep reading after the last send (and close_stdin) before leaving with a
  // plain close. Unset: until the server closes, the hang_up, or the step's timeout.
  std::optional<Millis> read_for;
  // `demux: auto | docker | none`: Docker's 8-byte stdout/stderr frame headers. auto decodes
  // when the response's Content-Type is application/vnd.docker.multiplexed-stream.
  Demux demux = Demux::kAuto;
};

// `websocket: { url: ws://..., socket: /x.sock, headers: {...}, subprotocols: [a, b],
//               send: [...], read_for: 2s, hang_up: {...}, timeout: 30s, insecure: true }`
struct WebSocketSpec {
  std::string url;                                           // template: ws://, wss://
  std::string socket;                                        // template: a unix socket; "" for TCP
  std::vector<std::pair<std::string, std::string>> headers;  // templates
  std::vector<std::string> subprotocols;
  std::vector<StreamSend> send;
  // Leaving: with no hang_up, the step sends a close frame and waits for the answer (how:
  // close_frame) once read_for has passed after the last send (default 0: right away), or
  // ends when the server closes first.
  std::optional<Millis> read_for;
  std::optional<HangUpSpec> hang_up;
  Millis timeout{Millis(30000)};                             // expiry is a step failure
  bool insecure = false;                                     // wss: accept any certificate
  size_t max_messages = 10000;                               // messages kept; the rest only counted
};

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_WEBSOCKET_SPEC_H_
