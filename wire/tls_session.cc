// TLS on memory BIOs over our own socket (tls_session.h).
#include "wire/tls_session.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace leakprobe {

namespace {

std::string LastError(const char* what) {
  unsigned long e = ERR_get_error();
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  std::string text = e ? buf : "unknown error";
  // "error:0A000086:SSL routines::certificate verify failed" -> "certificate verify failed"
  size_t colon = text.rfind(':');
  return std::string(what) + ": " + (colon == std::string::npos ? text : text.substr(colon + 1));
}

}  // namespace

struct TlsSession::Impl {
  Connection* conn = nullptr;
  SSL_CTX* ctx = nullptr;
  SSL* ssl = nullptr;
  BIO* net = nullptr;  // our side of the BIO pair: ciphertext in and out

  ~Impl() {
    if (ssl) SSL_free(ssl);  // frees its end of the pair
    if (net) BIO_free(net);
    if (ctx) SSL_CTX_free(ctx);
  }

  // Writes whatever OpenSSL produced to the socket.
  Status Drain(SteadyTime deadline) {
    char buf[16384];
    for (;;) {
      int n = BIO_read(net, buf, sizeof buf);
      if (n <= 0) return Status::Ok();
      Status st = conn->WriteAll(std::string_view(buf, static_cast<size_t>(n)), deadline);
      if (!st.ok()) return st;
    }
  }

  // Reads ciphertext from the socket into OpenSSL. 0: EOF.
  Result<size_t> Fill(SteadyTime until) {
    std::string cipher;
    auto n = conn->ReadSome(&cipher, 16384, until);
    if (!n.ok() || n.value() == 0) return n;
    BIO_write(net, cipher.data(), static_cast<int>(cipher.size()));
    return n;
  }
};

TlsSession::TlsSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsSession::~TlsSession() = default;

Result<std::unique_ptr<TlsSession>> TlsSession::Handshake(Connection* conn, const std::string& host, bool verify,
                                                          const std::string& alpn, bool alpn_required,
                                                          SteadyTime deadline) {
  auto impl = std::make_unique<Impl>();
  impl->conn = conn;
  impl->ctx = SSL_CTX_new(TLS_client_method());
  if (!impl->ctx) return Status::Error(LastError("TLS"));
  SSL_CTX_set_verify(impl->ctx, verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  if (verify) SSL_CTX_set_default_verify_paths(impl->ctx);
  impl->ssl = SSL_new(impl->ctx);
  BIO* inner = nullptr;
  BIO_new_bio_pair(&inner, 0, &impl->net, 0);
  SSL_set_bio(impl->ssl, inner, inner);
  std::string protos = std::string(1, static_cast<char>(alpn.size())) + alpn;
  SSL_set_alpn_protos(impl->ssl, reinterpret_cast<const unsigned char*>(protos.data()),
                      static_cast<unsigned>(protos.size()));
  const bool is_ip = host.find_first_not_of("0123456789.:") == std::string::npos;
  if (!is_ip) SSL_set_tlsext_host_name(impl->ssl, host.c_str());
  if (verify) {
    X509_VERIFY_PARAM* param = SSL_get0_param(impl->ssl);
    if (is_ip) X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    else X509_VERIFY_PARAM_set1_host(param, host.c_str(), 0);
  }
  for (;;) {
    int rv = SSL_connect(impl->ssl);
    Status st = impl->Drain(deadline);
    if (!st.ok()) return st;
    if (rv == 1) break;
    if (SSL_get_error(impl->ssl, rv) != SSL_ERROR_WANT_READ) return Status::Error(LastError("TLS handshake"));
    auto n = impl->Fill(deadline);
    if (!n.ok()) return Status::Error("TLS handshake: " + n.status().message());
    if (n.value() == 0) return Status::Error("TLS handshake: the server closed the connection");
  }
  const unsigned char* chosen = nullptr;
  unsigned chosen_len = 0;
  SSL_get0_alpn_selected(impl->ssl, &chosen, &chosen_len);
  std::string chosen_alpn(reinterpret_cast<const char*>(chosen), chosen_len);
  if (chosen_alpn != alpn && (alpn_required || !chosen_alpn.empty())) {
    return Status::Error("TLS: the server did not choose " + alpn + " (ALPN)");
  }
  return std::unique_ptr<TlsSession>(new TlsSession(std::move(impl)));
}

Status TlsSession::Write(std::string_view plain, SteadyTime deadline) {
  while (!plain.empty()) {
    int n = SSL_write(impl_->ssl, plain.data(), static_cast<int>(std::min<size_t>(plain.size(), 16384)));
    if (n <= 0) return Status::Error(LastError("TLS write"));
    plain.remove_prefix(static_cast<size_t>(n));
    Status st = impl_->Drain(deadline);
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

Result<size_t> TlsSession::Read(std::string* out, SteadyTime until) {
  char buf[16384];
  for (;;) {
    int n = SSL_read(impl_->ssl, buf, sizeof buf);
    if (n > 0) {
      out->append(buf, static_cast<size_t>(n));
      return static_cast<size_t>(n);
    }
    int err = SSL_get_error(impl_->ssl, n);
    if (err == SSL_ERROR_ZERO_RETURN) return size_t(0);
    if (err != SSL_ERROR_WANT_READ) return Status::Error(LastError("TLS read"));
    Status st = impl_->Drain(until);  // e.g. a key update's answer
    if (!st.ok()) return st;
    auto got = impl_->Fill(until);
    if (!got.ok() || got.value() == 0) return got;
  }
}

}  // namespace leakprobe
