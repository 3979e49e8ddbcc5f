// The hijacked-connection keys of the loader: an http step's upgrade, a websocket step,
// their expect maps, and exact error messages.
#include <gtest/gtest.h>

#include "scenarios/loader.h"

namespace leakprobe {
namespace {

std::string WithStep(const std::string& step_lines) {
  return "scenarios:\n  - name: s\n    steps:\n" + step_lines;
}

TEST(WebSocketSteps, UpgradeAndWebSocketRead) {
  Result<Suite> suite = ParseSuite(WithStep(R"yaml(      - http:
          method: POST
          url: "http://h/containers/c/attach?stream=1&stdin=1"
          upgrade: tcp
          send: ["ls\n", { text: "\x03", after: 500ms }]
          close_stdin: true
          read_for: 1s
          demux: docker
          hang_up: { at: body, how: stall, stall_for: 2s }
        expect: { status: [101, 200], output: { contains: ok, regex: "^o", min_bytes: 2 } }
      - websocket:
          url: ws://h/ws
          socket: /tmp/x.sock
          headers: { X-A: b }
          subprotocols: [chat.v1]
          send: [hi, { binary: "\x00", after: 1s }]
          hang_up: { messages: 2, how: close_frame }
        expect: { status: 101, messages: { min: 2, contains: hi, json: { /n: 1 } } }
        capture: { n: { json: /n } }
)yaml"),
                                   "t.yaml");
  ASSERT_TRUE(suite.ok()) << suite.status().message();
  const std::vector<Step>& steps = suite->scenarios[0].steps;
  ASSERT_EQ(steps.size(), 2u);
  const HttpSpec& http = steps[0].http;
  ASSERT_TRUE(http.upgrade);
  EXPECT_EQ(http.upgrade->protocol, "tcp");
  ASSERT_EQ(http.upgrade->send.size(), 2u);
  EXPECT_EQ(http.upgrade->send[0].data, "ls\n");
  EXPECT_EQ(http.upgrade->send[1].data, "\x03");
  EXPECT_EQ(http.upgrade->send[1].pause, Millis(500));
  EXPECT_TRUE(http.upgrade->close_stdin);
  EXPECT_EQ(http.upgrade->read_for, Millis(1000));
  EXPECT_EQ(http.upgrade->demux, UpgradeSpec::Demux::kDocker);
  EXPECT_EQ(http.hang_up->how, HangUpSpec::How::kStall);
  EXPECT_EQ(steps[0].expect.body_contains, std::vector<std::string>{"ok"});
  EXPECT_EQ(steps[0].expect.min_bytes, 2);

  EXPECT_EQ(steps[1].kind, Step::Kind::kWebSocket);
  const WebSocketSpec& ws = steps[1].websocket;
  EXPECT_EQ(ws.url, "ws://h/ws");
  EXPECT_EQ(ws.socket, "/tmp/x.sock");
  EXPECT_EQ(ws.subprotocols, std::vector<std::string>{"chat.v1"});
  ASSERT_EQ(ws.send.size(), 2u);
  EXPECT_FALSE(ws.send[0].binary);
  EXPECT_TRUE(ws.send[1].binary);
  EXPECT_EQ(ws.send[1].data, std::string("\0", 1));
  EXPECT_EQ(ws.hang_up->at, HangUpSpec::At::kMessages);
  EXPECT_EQ(ws.hang_up->messages, 2);
  EXPECT_EQ(ws.hang_up->how, HangUpSpec::How::kCloseFrame);
  EXPECT_EQ(steps[1].expect.min_messages, 2);
  EXPECT_EQ(steps[1].expect.json.size(), 1u);
}

TEST(WebSocketSteps, Errors) {
  struct Case {
    const char* what;
    std::string text, want;
  } cases[] = {
      {"send without upgrade", WithStep("      - http: {url: http://h/, send: [x]}\n"),
       "t.yaml:4:32: \"send\" goes only with \"upgrade\" (e.g. upgrade: tcp)"},
      {"bad token", WithStep("      - http: {url: http://h/, upgrade: \"a b\"}\n"),
       "t.yaml:4:41: bad upgrade token \"a b\": want e.g. tcp"},
      {"binary on a stream", WithStep("      - http: {url: http://h/, upgrade: tcp, send: [{binary: x}]}\n"),
       "t.yaml:4:54: \"binary\" goes with websocket steps; an upgraded stream sends bytes: write text"},
      {"bad demux", WithStep("      - http: {url: http://h/, upgrade: tcp, demux: yes}\n"),
       "t.yaml:4:53: \"demux\" must be one of auto, docker, none (got \"yes\")"},
      {"ws url", WithStep("      - websocket: {url: http://h/}\n"),
       "t.yaml:4:26: \"url\" must start with ws:// or wss:// (got \"http://h/\")"},
      {"ws how", WithStep("      - websocket: {url: ws://h/, hang_up: {after: 1s, how: half_close}}\n"),
       "t.yaml:4:61: \"how\" must be one of close_frame, close, reset, stall (got \"half_close\")"},
      {"messages on http", WithStep("      - http: {url: http://h/}\n        expect: {messages: {min: 1}}\n"),
       "t.yaml:5:18: \"messages\" goes only with a \"websocket\" step"},
      {"min in output", WithStep("      - http: {url: http://h/, upgrade: tcp}\n        expect: {output: {min: 1}}\n"),
       "t.yaml:5:27: \"min\" counts messages: write min_bytes for an upgraded stream's output"},
      {"body_file", WithStep("      - http: {url: http://h/, upgrade: tcp, body_file: x}\n"),
       "t.yaml:4:32: \"upgrade\" sends body or json before the stream, not body_file"},
      {"send item", WithStep("      - websocket: {url: ws://h/, send: [{after: 1s}]}\n"),
       "t.yaml:4:42: \"send\" item needs text or binary"},
  };
  for (const Case& c : cases) {
    Result<Suite> suite = ParseSuite(c.text, "t.yaml");
    EXPECT_EQ(suite.ok() ? "" : suite.status().message(), c.want) << c.what;
  }
}

}  // namespace
}  // namespace leakprobe
