// The bytes of one HTTP/1.1 exchange over a Connection leakprobe owns (connection.h), in the
// clear or inside TLS (tls_session.h). The hang-up client (http1_client.h) and upgraded
// streams (upgraded_stream.h) read and write through it and leave by its Connection, so a
// client of an https:// URL leaves as one of an http:// URL does: a close is a FIN with no
// TLS close_notify (as a crashed or careless client's), a reset an RST, a stall a full
// receive window. Does I/O; one thread at a time.
#ifndef LEAKPROBE_WIRE_BYTE_STREAM_H_
#define LEAKPROBE_WIRE_BYTE_STREAM_H_

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "wire/connection.h"
#include "wire/tls_session.h"

namespace leakprobe {

class ByteStream {
 public:
  // `conn` in the clear; with `tls`, after a TLS handshake that offers ALPN http/1.1 and
  // sends `host` (no port) as SNI, where unless `insecure` the certificate must chain to the
  // system's roots and name `host`. Error: the handshake's ("TLS handshake: certificate
  // verify failed").
  static Result<ByteStream> Open(Connection conn, bool tls, const std::string& host, bool insecure,
                                 SteadyTime deadline);

  // Writes all of `bytes` (encrypted on TLS) by `deadline`.
  Status WriteAll(std::string_view bytes, SteadyTime deadline);
  // Appends what arrived (decrypted on TLS; up to `max` bytes in the clear) to *out, waiting
  // until `deadline` ("timed out", IsTimedOut, when nothing came). 0: the server closed.
  Result<size_t> ReadSome(std::string* out, size_t max, SteadyTime deadline);

  // The socket, to leave by (End, ShutdownWrite) whether or not TLS runs over it.
  Connection& conn() { return *conn_; }

 private:
  explicit ByteStream(Connection conn);

  // Held by pointer: the TLS session keeps the Connection's address.
  std::unique_ptr<Connection> conn_;
  std::unique_ptr<TlsSession> tls_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_BYTE_STREAM_H_
