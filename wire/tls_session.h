// TLS over a Connection that leakprobe keeps owning (connection.h): OpenSSL works on memory
// BIOs and the ciphertext goes through the Connection, so every way of leaving (FIN, RST,
// a stall) still ends the socket itself, and a TLS client can leave without close_notify,
// as a crashed or careless one does. Used by the grpc client (ALPN "h2") and by ByteStream
// (byte_stream.h) for HTTP/1.1. Does I/O; one thread at a time.
#ifndef LEAKPROBE_WIRE_TLS_SESSION_H_
#define LEAKPROBE_WIRE_TLS_SESSION_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "wire/connection.h"

namespace leakprobe {

class TlsSession {
 public:
  // The handshake over `conn` (not owned; it must outlive the session), offering ALPN `alpn`
  // and sending `host` as SNI. With `verify`, the server's certificate must chain to the
  // system's roots and name `host`. The server must choose `alpn`; without `alpn_required`
  // it may also choose none. Errors: "TLS handshake: certificate verify failed", "TLS: the
  // server did not choose h2 (ALPN)".
  static Result<std::unique_ptr<TlsSession>> Handshake(Connection* conn, const std::string& host, bool verify,
                                                       const std::string& alpn, bool alpn_required,
                                                       SteadyTime deadline);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  // Encrypts `plain` and writes it all by `deadline`.
  Status Write(std::string_view plain, SteadyTime deadline);
  // Appends decrypted bytes to *out, waiting for ciphertext until `until` (the error
  // "timed out", IsTimedOut, when nothing arrived). 0: the server closed.
  Result<size_t> Read(std::string* out, SteadyTime until);

  struct Impl;

 private:
  explicit TlsSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_TLS_SESSION_H_
