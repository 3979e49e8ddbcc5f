// A raw-socket server for the wire tests: it accepts one connection on 127.0.0.1 or a unix
// socket and runs a test's script on its own thread, reading and writing bytes exactly, so a
// test can check what a client put on the wire (the upgrade request, each byte, the masking of
// a WebSocket frame) and how it left (FIN, RST, a half-close, a stall). Test-only; does I/O.
#ifndef LEAKPROBE_WIRE_STREAM_TEST_SERVER_H_
#define LEAKPROBE_WIRE_STREAM_TEST_SERVER_H_

#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace leakprobe {

// The server's side of the accepted connection. Every read waits at most a few seconds (a
// hang guard; the tests never depend on it being reached).
class TestPeer {
 public:
  explicit TestPeer(int fd) : fd_(fd) {}
  // The bytes up to and including `marker` ("\r\n\r\n"); what follows stays buffered.
  std::string ReadUntil(std::string_view marker);
  std::string ReadN(size_t n);
  void Write(std::string_view bytes);
  // Writes with MSG_DONTWAIT until the socket would block: the bytes that went out. Fixes the
  // socket's send buffer small first.
  size_t WriteUntilBlocked(size_t chunk);
  // How the client's direction ended, waiting up to `wait_ms`: "eof" (FIN), "reset" (RST),
  // "open" (nothing ended it), "data" (bytes came instead; they go to *extra when given).
  std::string WaitEnd(int wait_ms, std::string* extra = nullptr);
  // RFC 6455 frames as the client wrote them.
  struct Frame {
    bool fin = false;
    int opcode = 0;
    bool masked = false;
    std::string payload;  // unmasked
  };
  Frame ReadFrame();
  // An unmasked server frame.
  void WriteFrame(int opcode, std::string_view payload, bool fin = true);
  // Answers a WebSocket upgrade request `head` with 101 (and `extra` header lines).
  void AcceptWebSocket(const std::string& head, const std::string& extra = "");
  int fd() const { return fd_; }

 private:
  bool Fill();  // reads more into buffer_; false at EOF/error/timeout
  int fd_;
  std::string buffer_;
};

class TestServer {
 public:
  // Listens on 127.0.0.1:0, or on `unix_path` when given, and runs `script` on the first
  // connection. Failures in the script are gtest failures.
  explicit TestServer(std::function<void(TestPeer&)> script, const std::string& unix_path = "");
  ~TestServer();  // joins, closes, removes the unix socket
  std::string host_port() const { return "127.0.0.1:" + std::to_string(port_); }
  void Join();

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::string unix_path_;
  std::thread thread_;
};

// "Sec-WebSocket-Key" -> "Sec-WebSocket-Accept" (RFC 6455 4.2.2).
std::string WebSocketAccept(const std::string& key);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_STREAM_TEST_SERVER_H_
