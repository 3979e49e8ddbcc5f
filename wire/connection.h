// A client connection that a scenario ends on purpose: a plain TCP or unix stream socket that
// leakprobe owns, so it can leave the way real clients do (scenarios/hang_up.h): FIN, RST,
// a stalled reader, a half-close. Every streaming client (HTTP/1.1, upgraded streams, gRPC
// over HTTP/2, WebSocket) runs over one of these, or hands its socket's fd to EndSocket, so
// there is one way to end a connection. Does I/O; one thread uses a Connection at a time.
//
// Deadlines are absolute times; every wait also polls `abort` (e.g. the target died, or
// leakprobe was interrupted) every 20 ms, and ends as an error "aborted" when it says so.
#ifndef LEAKPROBE_WIRE_CONNECTION_H_
#define LEAKPROBE_WIRE_CONNECTION_H_

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "base/duration.h"
#include "base/status.h"
#include "scenarios/hang_up.h"

namespace leakprobe {

using SteadyTime = std::chrono::steady_clock::time_point;

struct ConnectOptions {
  // "127.0.0.1:2379", "[::1]:8080", "localhost:80"; ignored when `unix_path` is set.
  std::string host_port;
  std::string unix_path;
  Millis connect_timeout{Millis(5000)};
  // > 0: SO_RCVBUF before connect, so the TCP window stays small and a client that stops
  // reading makes the server's writes block soon (how: stall). 0: the kernel's default.
  int receive_buffer = 0;
  std::function<bool()> abort;  // may be empty
};

class Connection {
 public:
  // Connects. Errors: "connect 127.0.0.1:1: Connection refused", "connect /x.sock: No such
  // file or directory", "connect 127.0.0.1:9: no connection within 5s", "aborted".
  static Result<Connection> Open(const ConnectOptions& options);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();  // closes (FIN) if still open

  // Writes all of `bytes` by `deadline`. Errors: "write: Broken pipe", "write: timed out",
  // "aborted".
  Status WriteAll(std::string_view bytes, SteadyTime deadline);

  // Reads what is there, up to `max` bytes, waiting until something arrives or `deadline`.
  // Appends to *out. Returns the number of bytes read: 0 means the peer closed (EOF).
  // At the deadline with nothing read: the error "timed out" (IsTimedOut says so).
  Result<size_t> ReadSome(std::string* out, size_t max, SteadyTime deadline);

  // Ends the connection as `how` says (close, reset, stall, half_close; the protocol ways,
  // cancel, keep_open and close_frame, are the protocol client's to do first: here they
  // close). stall: reads nothing for stall_for (polling abort), then closes. half_close:
  // shuts down the write side and reads (discarding, counted in *drained) until the peer
  // closes or `deadline`, then closes. The connection is closed afterwards in every case.
  // Returns what happened, for the step log: "reset (RST sent)", "closed (FIN)",
  // "stalled 2s, then closed", "half-closed; server closed after 120ms".
  std::string End(HangUpSpec::How how, Millis stall_for, SteadyTime deadline, size_t* drained = nullptr);

  // Shuts down the write side (the peer reads EOF) and keeps the read side open.
  void ShutdownWrite();

  bool is_open() const { return fd_ >= 0; }
  bool is_unix() const { return is_unix_; }
  int fd() const { return fd_; }
  // Gives up ownership of the fd (e.g. to a library that closes it); -1 afterwards.
  int Release();
  const std::function<bool()>& abort() const { return abort_; }

 private:
  Connection(int fd, bool is_unix, std::function<bool()> abort);
  // Waits for `events` on the fd until `deadline`: 1 ready, 0 timed out, -1 aborted/error.
  int Wait(short events, SteadyTime deadline);

  int fd_ = -1;
  bool is_unix_ = false;
  std::function<bool()> abort_;
};

// Ends a socket fd that a library owns (Beast, nghttp2) the same way Connection::End does,
// for close and reset: reset sets SO_LINGER 0 before close, close drains unread bytes and
// sends FIN. The fd is closed. Returns "closed (FIN)" or "reset (RST sent)".
std::string EndSocket(int fd, HangUpSpec::How how);

// Whether a Status from ReadSome/WriteAll is the deadline passing.
bool IsTimedOut(const Status& status);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_CONNECTION_H_
