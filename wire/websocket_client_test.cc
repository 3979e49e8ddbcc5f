// The WebSocket client against a raw-socket server that speaks RFC 6455 by hand: the
// handshake it sends, masking, fragmented messages, ping/pong, close codes, and each way of
// leaving as the server sees it.
#include "wire/websocket_client.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "wire/stream_test_server.h"

namespace leakprobe {
namespace {

constexpr int kText = 1, kBinary = 2, kContinuation = 0, kClose = 8, kPing = 9, kPong = 10;

std::string CloseBody(int code, const std::string& reason = "") {
  return std::string{static_cast<char>(code >> 8), static_cast<char>(code & 0xff)} + reason;
}

int CloseCode(const std::string& payload) {
  if (payload.size() < 2) return -1;
  return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
}

WebSocketRequest Request(const TestServer& server) {
  WebSocketRequest req;
  req.url = "ws://" + server.host_port() + "/chat?room=1";
  req.timeout = Millis(10000);
  return req;
}

TEST(WebSocketClient, HandshakeMaskingFragmentsPingAndTheServersClose) {
  TestServer server([](TestPeer& peer) {
    std::string head = peer.ReadUntil("\r\n\r\n");
    EXPECT_EQ(head.rfind("GET /chat?room=1 HTTP/1.1\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("Upgrade: websocket"), std::string::npos) << head;
    EXPECT_NE(head.find("Sec-WebSocket-Protocol: chat.v1, chat.v0"), std::string::npos) << head;
    EXPECT_NE(head.find("X-Tenant: t1"), std::string::npos) << head;
    peer.AcceptWebSocket(head, "Sec-WebSocket-Protocol: chat.v1\r\n");
    TestPeer::Frame text = peer.ReadFrame();
    EXPECT_TRUE(text.masked);  // a client masks every frame
    EXPECT_TRUE(text.fin);
    EXPECT_EQ(text.opcode, kText);
    EXPECT_EQ(text.payload, "hello");
    TestPeer::Frame binary = peer.ReadFrame();
    EXPECT_TRUE(binary.masked);
    EXPECT_EQ(binary.opcode, kBinary);
    EXPECT_EQ(binary.payload, std::string("\x00\x01", 2));
    peer.WriteFrame(kText, "frag", /*fin=*/false);
    peer.WriteFrame(kContinuation, "ment");
    peer.WriteFrame(kPing, "p1");
    TestPeer::Frame pong = peer.ReadFrame();
    EXPECT_TRUE(pong.masked);
    EXPECT_EQ(pong.opcode, kPong);
    EXPECT_EQ(pong.payload, "p1");
    peer.WriteFrame(kClose, CloseBody(1001, "bye"));
    TestPeer::Frame answer = peer.ReadFrame();
    EXPECT_EQ(answer.opcode, kClose);
    EXPECT_EQ(CloseCode(answer.payload), 1001);
  });
  WebSocketRequest req = Request(server);
  req.headers = {{"X-Tenant", "t1"}};
  req.subprotocols = {"chat.v1", "chat.v0"};
  req.sends = {{"hello", false, Millis(0)}, {std::string("\x00\x01", 2), true, Millis(0)}};
  HangUpSpec h;
  h.at = HangUpSpec::At::kMessages;
  h.messages = 5;  // never reached: the server closes first
  req.hang_up = h;
  auto r = RunWebSocket(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 101);
  ASSERT_EQ(r->messages.size(), 1u);
  EXPECT_EQ(r->messages[0].data, "fragment");
  EXPECT_EQ(r->pings, 1);
  EXPECT_EQ(r->close_code, 1001);
  EXPECT_FALSE(r->hung_up);
  EXPECT_EQ(r->ended, "server closed: close frame 1001 \"bye\"");
}

TEST(WebSocketClient, ThePoliteCloseSendsACloseFrameAndWaitsForTheAnswer) {
  TestServer server([](TestPeer& peer) {
    peer.AcceptWebSocket(peer.ReadUntil("\r\n\r\n"));
    peer.WriteFrame(kText, "{\"n\":1}");
    TestPeer::Frame close = peer.ReadFrame();
    EXPECT_TRUE(close.masked);
    EXPECT_EQ(close.opcode, kClose);
    EXPECT_EQ(CloseCode(close.payload), 1000);
    peer.WriteFrame(kClose, CloseBody(1000));  // then the server closes TCP first (RFC 6455 7.1.1)
  });
  WebSocketRequest req = Request(server);
  req.read_for = Millis(100);
  auto r = RunWebSocket(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->messages.size(), 1u);
  EXPECT_EQ(r->close_code, 1000);
  EXPECT_EQ(r->ended, "close frame sent; server answered 1000, closed");
}

// Leaving after 2 of 3 messages: no close frame for close and reset.
TEST(WebSocketClient, CloseAndResetLeaveWithoutACloseFrame) {
  struct Case {
    HangUpSpec::How how;
    std::string server_sees;
    std::string ended;
  } cases[] = {
      {HangUpSpec::How::kClose, "eof", "hang_up after 2 messages: closed (FIN)"},
      {HangUpSpec::How::kReset, "reset", "hang_up after 2 messages: reset (RST sent)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(HowName(c.how));
    TestServer server([&](TestPeer& peer) {
      peer.AcceptWebSocket(peer.ReadUntil("\r\n\r\n"));
      peer.WriteFrame(kText, "a");
      peer.WriteFrame(kText, "b");
      std::string extra;
      EXPECT_EQ(peer.WaitEnd(5000, &extra), c.server_sees) << extra;  // no close frame came
    });
    WebSocketRequest req = Request(server);
    HangUpSpec h;
    h.at = HangUpSpec::At::kMessages;
    h.messages = 2;
    h.how = c.how;
    req.hang_up = h;
    auto r = RunWebSocket(req);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->message_count, 2u);
    EXPECT_TRUE(r->hung_up);
    EXPECT_EQ(r->ended, c.ended);
  }
}

TEST(WebSocketClient, AStallLeavesPingsUnanswered) {
  TestServer server([](TestPeer& peer) {
    peer.AcceptWebSocket(peer.ReadUntil("\r\n\r\n"));
    peer.WriteFrame(kText, "first");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    peer.WriteFrame(kPing, "are you there");
    EXPECT_GT(peer.WriteUntilBlocked(65536), 0u);
    EXPECT_EQ(peer.WaitEnd(200), "open");  // no pong, nothing: the client stopped reading
    EXPECT_EQ(peer.WaitEnd(5000), "eof");  // then it closed, with no close frame
  });
  WebSocketRequest req = Request(server);
  HangUpSpec h;
  h.at = HangUpSpec::At::kBody;
  h.how = HangUpSpec::How::kStall;
  h.stall_for = Millis(600);
  req.hang_up = h;
  auto r = RunWebSocket(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->pings, 0);
  EXPECT_EQ(r->ended.rfind("hang_up at body: stalled 600ms", 0), 0u) << r->ended;
}

// The hang-up comes while Beast's handshake is still waiting for an answer: the client
// leaves (no close frame: the WebSocket never opened), and the aborted handshake's handler
// runs after it, harmlessly.
TEST(WebSocketClient, LeavesDuringAHandshakeThatGetsNoAnswer) {
  TestServer server([](TestPeer& peer) {
    EXPECT_NE(peer.ReadUntil("\r\n\r\n").find("Upgrade: websocket"), std::string::npos);
    EXPECT_EQ(peer.WaitEnd(5000), "eof");
  });
  WebSocketRequest req = Request(server);
  HangUpSpec h;
  h.at = HangUpSpec::At::kAfter;
  h.after = Millis(100);
  h.how = HangUpSpec::How::kCloseFrame;  // impossible before the handshake: a close
  req.hang_up = h;
  auto r = RunWebSocket(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 0);
  EXPECT_EQ(r->ended, "hang_up after 100ms: closed (FIN)");
}

TEST(WebSocketClient, ARefusedUpgradeIsAStatusNotAnError) {
  TestServer server([](TestPeer& peer) {
    peer.ReadUntil("\r\n\r\n");
    peer.Write("HTTP/1.1 403 Forbidden\r\nContent-Length: 6\r\n\r\nno way");
  });
  auto r = RunWebSocket(Request(server));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(r->ended.rfind("upgrade refused (403)", 0), 0u) << r->ended;
}

TEST(WebSocketClient, OverAUnixSocket) {
  std::string path = ::testing::TempDir() + "lp-ws-" + std::to_string(getpid()) + ".sock";
  TestServer server(
      [](TestPeer& peer) {
        std::string head = peer.ReadUntil("\r\n\r\n");
        EXPECT_EQ(head.rfind("GET /ws HTTP/1.1\r\nHost: localhost\r\n", 0), 0u) << head;
        peer.AcceptWebSocket(head);
        EXPECT_EQ(peer.ReadFrame().payload, "over unix");
        EXPECT_EQ(peer.WaitEnd(5000), "eof");  // reset on a unix socket is a close
      },
      path);
  WebSocketRequest req;
  req.url = "/ws";
  req.socket = path;
  req.timeout = Millis(10000);
  req.sends = {{"over unix", false, Millis(0)}};
  HangUpSpec h;
  h.at = HangUpSpec::At::kAfter;
  h.after = Millis(100);
  h.how = HangUpSpec::How::kReset;
  req.hang_up = h;
  auto r = RunWebSocket(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->ended, "hang_up after 100ms: closed (a unix socket has no reset)");
}

}  // namespace
}  // namespace leakprobe
