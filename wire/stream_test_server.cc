#include "wire/stream_test_server.h"

#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include <gtest/gtest.h>

namespace leakprobe {

namespace {
constexpr int kGuardMs = 10000;  // a hang guard only
}

bool TestPeer::Fill() {
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, kGuardMs) <= 0) return false;
  char buf[65536];
  ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n <= 0) return false;
  buffer_.append(buf, static_cast<size_t>(n));
  return true;
}

std::string TestPeer::ReadUntil(std::string_view marker) {
  size_t at;
  while ((at = buffer_.find(marker)) == std::string::npos) {
    if (!Fill()) {
      ADD_FAILURE() << "no \"" << marker << "\" before the end; got " << buffer_;
      return std::exchange(buffer_, "");
    }
  }
  std::string out = buffer_.substr(0, at + marker.size());
  buffer_.erase(0, at + marker.size());
  return out;
}

std::string TestPeer::ReadN(size_t n) {
  while (buffer_.size() < n) {
    if (!Fill()) {
      ADD_FAILURE() << "wanted " << n << " bytes, got " << buffer_.size();
      return std::exchange(buffer_, "");
    }
  }
  std::string out = buffer_.substr(0, n);
  buffer_.erase(0, n);
  return out;
}

void TestPeer::Write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) {
      ADD_FAILURE() << "server write: " << std::strerror(errno);
      return;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

size_t TestPeer::WriteUntilBlocked(size_t chunk) {
  // A fixed send buffer: Linux would otherwise grow it meanwhile, and a second call would
  // find room that the client's reading did not make.
  int size = 4096;
  setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  std::string data(chunk, 'w');
  size_t total = 0;
  for (;;) {
    ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n <= 0) return total;
    total += static_cast<size_t>(n);
  }
}

std::string TestPeer::WaitEnd(int wait_ms, std::string* extra) {
  if (!buffer_.empty()) {
    if (extra) *extra = std::exchange(buffer_, "");
    return "data";
  }
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, wait_ms) <= 0) return "open";
  char buf[65536];
  ssize_t n = recv(fd_, buf, sizeof buf, 0);
  if (n == 0) return "eof";
  if (n < 0) return errno == ECONNRESET ? "reset" : std::string("error: ") + std::strerror(errno);
  if (extra) extra->assign(buf, static_cast<size_t>(n));
  return "data";
}

TestPeer::Frame TestPeer::ReadFrame() {
  Frame f;
  std::string h = ReadN(2);
  if (h.size() < 2) return f;
  auto b0 = static_cast<unsigned char>(h[0]), b1 = static_cast<unsigned char>(h[1]);
  f.fin = b0 & 0x80;
  f.opcode = b0 & 0x0f;
  f.masked = b1 & 0x80;
  uint64_t len = b1 & 0x7f;
  if (len >= 126) {
    std::string ext = ReadN(len == 126 ? 2 : 8);
    len = 0;
    for (char c : ext) len = (len << 8) | static_cast<unsigned char>(c);
  }
  std::string mask = f.masked ? ReadN(4) : "";
  f.payload = ReadN(len);
  for (size_t i = 0; f.masked && i < f.payload.size(); ++i) f.payload[i] ^= mask[i % 4];
  return f;
}

void TestPeer::WriteFrame(int opcode, std::string_view payload, bool fin) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0) | opcode);
  if (payload.size() < 126) {
    out += static_cast<char>(payload.size());
  } else {
    out += static_cast<char>(126);
    out += static_cast<char>((payload.size() >> 8) & 0xff);
    out += static_cast<char>(payload.size() & 0xff);
  }
  out += payload;
  Write(out);
}

std::string WebSocketAccept(const std::string& key) {
  std::string in = key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), digest);
  unsigned char b64[64];
  int n = EVP_EncodeBlock(b64, digest, SHA_DIGEST_LENGTH);
  return std::string(reinterpret_cast<char*>(b64), static_cast<size_t>(n));
}

void TestPeer::AcceptWebSocket(const std::string& head, const std::string& extra) {
  const std::string name = "Sec-WebSocket-Key: ";
  size_t at = head.find(name);
  ASSERT_NE(at, std::string::npos) << head;
  std::string key = head.substr(at + name.size(), head.find("\r\n", at) - at - name.size());
  Write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Accept: " + WebSocketAccept(key) + "\r\n" + extra + "\r\n");
}

TestServer::TestServer(std::function<void(TestPeer&)> script, const std::string& unix_path) : unix_path_(unix_path) {
  if (unix_path.empty()) {
    listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
  } else {
    listen_fd_ = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, unix_path.c_str(), sizeof addr.sun_path - 1);
    unlink(unix_path.c_str());
    bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  }
  listen(listen_fd_, 4);
  thread_ = std::thread([this, script] {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, kGuardMs) <= 0) {
      ADD_FAILURE() << "no connection came";
      return;
    }
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    TestPeer peer(fd);
    script(peer);
    close(fd);
  });
}

void TestServer::Join() {
  if (thread_.joinable()) thread_.join();
}

TestServer::~TestServer() {
  Join();
  close(listen_fd_);
  if (!unix_path_.empty()) unlink(unix_path_.c_str());
}

}  // namespace leakprobe
