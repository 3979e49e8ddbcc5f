// The upgraded stream against a raw-socket server: the upgrade request, the bytes written,
// close_stdin's half-close, Docker's frames, and each way of leaving as the server sees it.
#include "wire/upgraded_stream.h"

#include <gtest/gtest.h>

#include <thread>

#include "wire/stream_test_server.h"

namespace leakprobe {
namespace {

const char kUpgraded[] = "HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\n"
                         "Connection: Upgrade\r\nUpgrade: tcp\r\n\r\n";

std::string Frame(char stream, const std::string& payload) {
  std::string h = {stream, 0, 0, 0, 0, 0, static_cast<char>(payload.size() >> 8), static_cast<char>(payload.size())};
  return h + payload;
}

UpgradeRequest Request(const TestServer& server) {
  UpgradeRequest req;
  req.url = "http://" + server.host_port() + "/containers/c1/attach?stream=1&stdin=1";
  req.timeout = Millis(10000);
  return req;
}

HangUpSpec HangUp(HangUpSpec::At at, HangUpSpec::How how) {
  HangUpSpec h;
  h.at = at;
  h.how = how;
  h.stall_for = Millis(500);
  return h;
}

TEST(UpgradedStream, WritesTheUpgradeRequestAndBytesThenHalfCloses) {
  TestServer server([](TestPeer& peer) {
    std::string head = peer.ReadUntil("\r\n\r\n");
    EXPECT_EQ(head.rfind("POST /containers/c1/attach?stream=1&stdin=1 HTTP/1.1\r\n", 0), 0u) << head;
    EXPECT_NE(head.find("\r\nConnection: Upgrade\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("\r\nUpgrade: tcp\r\n"), std::string::npos) << head;
    EXPECT_NE(head.find("\r\nX-Test: 1\r\n"), std::string::npos) << head;
    peer.Write(std::string(kUpgraded) + "hello ");
    EXPECT_EQ(peer.ReadN(4), "ls\n\x03");
    EXPECT_EQ(peer.WaitEnd(5000), "eof");  // close_stdin: the write side shut, nothing more
    peer.Write("bye");                     // the read side still works
  });
  UpgradeRequest req = Request(server);
  req.headers = {{"X-Test", "1"}};
  req.writes = {{"ls\n", Millis(0)}, {"\x03", Millis(50)}};
  req.close_stdin = true;
  auto r = RunUpgradedStream(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 101);
  EXPECT_TRUE(r->upgraded);
  EXPECT_FALSE(r->demuxed);
  EXPECT_EQ(r->output, "hello bye");
  EXPECT_EQ(r->written, 4u);
  EXPECT_FALSE(r->hung_up);
  EXPECT_EQ(r->ended, "server closed the stream");
}

TEST(UpgradedStream, DecodesDockerFramesWhenTheResponseSaysSo) {
  TestServer server([](TestPeer& peer) {
    peer.ReadUntil("\r\n\r\n");
    peer.Write("HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.multiplexed-stream\r\n\r\n" +
               Frame(1, "out\n") + Frame(2, "err\n").substr(0, 5));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    peer.Write(Frame(2, "err\n").substr(5));
  });
  auto r = RunUpgradedStream(Request(server));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->demuxed);
  EXPECT_EQ(r->output, "out\nerr\n");
}

TEST(UpgradedStream, A200ThatHijacksIsAStream) {
  TestServer server([](TestPeer& peer) {
    peer.ReadUntil("\r\n\r\n");
    peer.Write("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\nraw");
  });
  auto r = RunUpgradedStream(Request(server));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(r->upgraded);
  EXPECT_EQ(r->output, "raw");
}

TEST(UpgradedStream, ARefusalKeepsItsBody) {
  TestServer server([](TestPeer& peer) {
    peer.ReadUntil("\r\n\r\n");
    peer.Write("HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nno such c");
    EXPECT_EQ(peer.WaitEnd(5000), "eof");
  });
  auto r = RunUpgradedStream(Request(server));
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 404);
  EXPECT_FALSE(r->upgraded);
  EXPECT_EQ(r->output, "no such c");
}

// Each way of leaving, at the status line, as the server sees it.
TEST(UpgradedStream, EachWayOfLeavingArrivesAsSaid) {
  struct Case {
    HangUpSpec::How how;
    std::string server_sees;
    std::string ended_prefix;
  } cases[] = {
      {HangUpSpec::How::kClose, "eof", "hang_up at status: closed (FIN)"},
      {HangUpSpec::How::kReset, "reset", "hang_up at status: reset (RST sent)"},
      {HangUpSpec::How::kHalfClose, "eof", "hang_up at status: half-closed; server closed after"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(HowName(c.how));
    TestServer server([&](TestPeer& peer) {
      peer.ReadUntil("\r\n\r\n");
      peer.Write(kUpgraded);
      EXPECT_EQ(peer.WaitEnd(5000), c.server_sees);
    });
    UpgradeRequest req = Request(server);
    req.writes = {{"never sent", Millis(0)}};
    req.hang_up = HangUp(HangUpSpec::At::kStatus, c.how);
    auto r = RunUpgradedStream(req);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_TRUE(r->hung_up);
    EXPECT_EQ(r->written, 0u);
    EXPECT_EQ(r->ended.rfind(c.ended_prefix, 0), 0u) << r->ended;
  }
}

TEST(UpgradedStream, AStallReadsNothingThenCloses) {
  TestServer server([](TestPeer& peer) {
    peer.ReadUntil("\r\n\r\n");
    peer.Write(std::string(kUpgraded) + "x");
    EXPECT_GT(peer.WriteUntilBlocked(65536), 0u);
    // Bytes in flight still land in the client's small buffer for a moment; then nothing
    // moves, because the client reads nothing.
    int quiet = 0;
    for (int i = 0; i < 100 && quiet < 3; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      quiet = peer.WriteUntilBlocked(65536) == 0 ? quiet + 1 : 0;
    }
    EXPECT_EQ(quiet, 3);
    EXPECT_EQ(peer.WaitEnd(0), "open");     // still connected: stalled, not gone
    EXPECT_EQ(peer.WaitEnd(10000), "eof");  // then it closed
  });
  UpgradeRequest req = Request(server);
  HangUpSpec h = HangUp(HangUpSpec::At::kBody, HangUpSpec::How::kStall);
  h.stall_for = Millis(3000);
  req.hang_up = h;
  auto r = RunUpgradedStream(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->ended.rfind("hang_up at body: stalled 3s, then closed", 0), 0u) << r->ended;
}

TEST(UpgradedStream, LeavesAfterADurationOrAtSent) {
  TestServer server([](TestPeer& peer) {
    peer.ReadUntil("\r\n\r\n");
    peer.Write(std::string(kUpgraded) + "prompt$ ");
    EXPECT_EQ(peer.ReadN(3), "id\n");
    EXPECT_EQ(peer.WaitEnd(5000), "reset");
  });
  UpgradeRequest req = Request(server);
  req.writes = {{"id\n", Millis(0)}};
  HangUpSpec h = HangUp(HangUpSpec::At::kAfter, HangUpSpec::How::kReset);
  h.after = Millis(200);
  req.hang_up = h;
  auto r = RunUpgradedStream(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->output, "prompt$ ");
  EXPECT_EQ(r->ended, "hang_up after 200ms: reset (RST sent)");

  TestServer sent([](TestPeer& peer) {
    EXPECT_NE(peer.ReadUntil("\r\n\r\n").find("Upgrade: tcp"), std::string::npos);
    EXPECT_EQ(peer.WaitEnd(5000), "eof");
  });
  req = Request(sent);
  req.hang_up = HangUp(HangUpSpec::At::kSent, HangUpSpec::How::kClose);
  r = RunUpgradedStream(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 0);
  EXPECT_EQ(r->ended, "hang_up at sent: closed (FIN)");
}

TEST(UpgradedStream, ReadForEndsAQuietStreamWithAClose) {
  TestServer server([](TestPeer& peer) {
    peer.ReadUntil("\r\n\r\n");
    peer.Write(kUpgraded);
    EXPECT_EQ(peer.WaitEnd(5000), "eof");
  });
  UpgradeRequest req = Request(server);
  req.read_for = Millis(100);
  auto r = RunUpgradedStream(req);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->ended, "read_for 100ms passed: closed (FIN)");
}

}  // namespace
}  // namespace leakprobe
