// An HTTP/1.1 request whose connection turns into a raw duplex stream: `Connection: Upgrade`,
// `Upgrade: tcp`, then bytes both ways (Docker's attach and exec hijack their connection this
// way; some servers answer 200 and hijack anyway). Writes a list of byte strings with pauses,
// half-closes (close_stdin) if asked, reads what comes back (undoing Docker's stdout/stderr
// frames when the response says so), and leaves as a hang_up says, through Connection::End;
// over https inside TLS (byte_stream.h), left the same ways.
// Does I/O on one thread; the caller's thread blocks until the stream ends.
#ifndef LEAKPROBE_WIRE_UPGRADED_STREAM_H_
#define LEAKPROBE_WIRE_UPGRADED_STREAM_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "base/duration.h"
#include "base/status.h"
#include "scenarios/hang_up.h"
#include "scenarios/websocket_spec.h"
#include "wire/http1.h"

namespace leakprobe {

struct StreamWrite {
  std::string bytes;
  Millis pause{0};  // read meanwhile, then write
};

struct UpgradeRequest {
  std::string method = "POST";
  std::string url;       // "http://127.0.0.1:2375/containers/x/attach?stream=1", https://; with socket, "/..." too
  bool insecure = false; // https: accept any certificate
  std::string socket;    // unix socket path; "" for TCP
  HeaderList headers;
  std::string body;
  std::string protocol = "tcp";  // the Upgrade: token
  std::vector<StreamWrite> writes;
  bool close_stdin = false;      // shutdown(SHUT_WR) after the last write
  std::optional<Millis> read_for;  // after the writes: then a plain close
  UpgradeSpec::Demux demux = UpgradeSpec::Demux::kAuto;
  std::optional<HangUpSpec> hang_up;
  Millis timeout{Millis(30000)};
  size_t max_output = 4 << 20;   // output bytes kept; the rest only counted
  std::function<bool()> abort;   // may be empty
};

struct UpgradeResult {
  int status = 0;                // 0 when the client left before the status line
  HeaderList headers;
  bool upgraded = false;         // 101, or 200 followed by the stream
  bool demuxed = false;          // Docker frames were undone
  std::string output;            // what came back (decoded), bounded; a refusal's body
  size_t output_bytes = 0;       // all of it
  size_t written = 0;            // stream bytes written
  bool hung_up = false;          // the hang_up (or read_for) ended it, not the server
  // How it ended, for the step log: "server closed the stream", "hang_up at status: reset
  // (RST sent)", "read_for 2s passed: closed (FIN)", "half-closed; server closed after 3ms".
  std::string ended;
  Millis elapsed{0};
};

// Runs the whole exchange. Errors: "bad URL ...", Connection::Open's, "... no response within
// 30s" (the step's timeout, with neither hang_up nor read_for to end the stream earlier),
// "not a docker stream frame: ...".
Result<UpgradeResult> RunUpgradedStream(const UpgradeRequest& req);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_UPGRADED_STREAM_H_
