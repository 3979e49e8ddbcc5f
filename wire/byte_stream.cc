#include "wire/byte_stream.h"

namespace leakprobe {

ByteStream::ByteStream(Connection conn) : conn_(std::make_unique<Connection>(std::move(conn))) {}

Result<ByteStream> ByteStream::Open(Connection conn, bool tls, const std::string& host, bool insecure,
                                    SteadyTime deadline) {
  ByteStream s(std::move(conn));
  if (!tls) return s;
  // An HTTP/1.1 server need not speak ALPN at all: none chosen is fine, another is not.
  auto session = TlsSession::Handshake(s.conn_.get(), host, !insecure, "http/1.1", /*alpn_required=*/false, deadline);
  if (!session.ok()) return session.status();
  s.tls_ = std::move(session.value());
  return s;
}

Status ByteStream::WriteAll(std::string_view bytes, SteadyTime deadline) {
  return tls_ ? tls_->Write(bytes, deadline) : conn_->WriteAll(bytes, deadline);
}

Result<size_t> ByteStream::ReadSome(std::string* out, size_t max, SteadyTime deadline) {
  return tls_ ? tls_->Read(out, deadline) : conn_->ReadSome(out, max, deadline);
}

}  // namespace leakprobe
