// `websocket:` steps and an http step's `upgrade:` (websocket_reader.h).
#include "scenarios/websocket_reader.h"

#include <limits>

#include "scenarios/expect_reader.h"
#include "scenarios/hang_up_reader.h"
#include "scenarios/yaml_json.h"

namespace leakprobe {

namespace {

const std::vector<std::string_view> kWebSocketKeys = {"url", "socket", "headers", "subprotocols", "send",
                                                      "read_for", "hang_up", "timeout", "insecure",
                                                      "max_messages"};
const std::vector<std::string_view> kSendKeys = {"text", "binary", "after"};
const std::vector<std::string_view> kStreamExpectKeys = {"min", "contains", "regex", "json", "min_bytes"};

const std::vector<HangUpSpec::How>& WebSocketHows() {
  static const std::vector<HangUpSpec::How> hows = {HangUpSpec::How::kCloseFrame, HangUpSpec::How::kClose,
                                                    HangUpSpec::How::kReset, HangUpSpec::How::kStall};
  return hows;
}

// An RFC 7230 token: what Upgrade: and Sec-WebSocket-Protocol carry.
bool IsToken(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              std::string_view("!#$%&'*+-.^_`|~/").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

// `send: ["ls\n", {text: "exit\n", after: 1s}, {binary: "\x03"}]`; `binary` only where
// messages have a kind (websocket).
std::vector<StreamSend> ReadSends(const Field& field, bool binary_ok, ErrorList* errors) {
  std::vector<StreamSend> sends;
  std::optional<std::vector<Field>> items = ReadList(field, errors);
  if (!items) return sends;
  for (const Field& item : *items) {
    StreamSend s;
    if (item.value.IsScalar()) {
      if (auto text = ReadTemplate(item, errors)) s.data = *text;
      sends.push_back(s);
      continue;
    }
    MapReader map(item.value, item.Mark(), "\"send\" item must be a string or a map like {text: \"hi\", after: 1s}",
                  kSendKeys, errors);
    if (!map.is_map()) continue;
    const Field* text = map.Find("text");
    const Field* binary = map.Find("binary");
    if (binary && !binary_ok) {
      errors->Add(binary->key_mark, "\"binary\" goes with websocket steps; an upgraded stream sends bytes: write text");
    } else if (text && binary) {
      errors->Add(binary->key_mark, "\"text\" and \"binary\" cannot both be set");
    } else if (!text && !binary) {
      errors->Add(map.mark(), "\"send\" item needs text or binary");
    } else if (auto data = ReadTemplate(text ? *text : *binary, errors)) {
      s.data = *data;
      s.binary = binary != nullptr;
    }
    if (const Field* after = map.Find("after")) {
      if (auto d = ReadDuration(*after, errors)) s.pause = *d;
    }
    sends.push_back(s);
  }
  return sends;
}

}  // namespace

void ReadWebSocket(const Field& field, WebSocketSpec* ws, ErrorList* errors) {
  MapReader map(field, kWebSocketKeys, errors);
  if (!map.is_map()) return;
  map.Require("url", errors);
  for (const Field& f : map.fields()) {
    if (f.name == "url") {
      if (auto url = ReadTemplate(f, errors)) {
        if (url->rfind("ws://", 0) != 0 && url->rfind("wss://", 0) != 0 && url->rfind("${", 0) != 0) {
          errors->Add(f.Mark(), "\"url\" must start with ws:// or wss:// (got " + Quoted(*url) + ")");
        }
        ws->url = *url;
      }
    } else if (f.name == "socket") {
      if (auto socket = ReadTemplate(f, errors)) ws->socket = *socket;
    } else if (f.name == "headers") {
      ws->headers = ReadTemplateMap(f, errors);
    } else if (f.name == "subprotocols") {
      if (auto list = ReadTemplateList(f, /*scalar_ok=*/true, errors)) {
        for (const std::string& p : *list) {
          if (!IsToken(p)) errors->Add(f.Mark(), "bad subprotocol " + Quoted(p) + ": want a token like chat.v1");
        }
        ws->subprotocols = *list;
      }
    } else if (f.name == "send") {
      ws->send = ReadSends(f, /*binary_ok=*/true, errors);
    } else if (f.name == "read_for") {
      if (auto d = ReadDuration(f, errors)) ws->read_for = *d;
    } else if (f.name == "hang_up") {
      ws->hang_up = ReadHangUp(f, WebSocketHows(), /*messages=*/true, errors);
    } else if (f.name == "timeout") {
      if (auto d = ReadPositiveDuration(f, errors)) ws->timeout = *d;
    } else if (f.name == "insecure") {
      if (auto b = ReadBool(f, errors)) ws->insecure = *b;
    } else if (f.name == "max_messages") {
      if (auto n = ReadInt(f, 0, 1 << 24, errors)) ws->max_messages = static_cast<size_t>(*n);
    }
  }
}

const std::vector<std::string_view>& UpgradeKeys() {
  static const std::vector<std::string_view> keys = {"upgrade", "send", "close_stdin", "read_for", "demux"};
  return keys;
}

void ReadUpgradeKeys(const MapReader& map, HttpSpec* http, ErrorList* errors) {
  const Field* upgrade = map.Find("upgrade");
  if (!upgrade) {
    for (std::string_view key : UpgradeKeys()) {
      if (const Field* f = map.Find(key)) {
        errors->Add(f->key_mark, Quoted(key) + " goes only with \"upgrade\" (e.g. upgrade: tcp)");
      }
    }
    return;
  }
  UpgradeSpec u;
  if (auto token = ReadString(*upgrade, errors)) {
    if (!IsToken(*token)) errors->Add(upgrade->Mark(), "bad upgrade token " + Quoted(*token) + ": want e.g. tcp");
    u.protocol = *token;
  }
  if (const Field* f = map.Find("send")) u.send = ReadSends(*f, /*binary_ok=*/false, errors);
  if (const Field* f = map.Find("close_stdin")) {
    if (auto b = ReadBool(*f, errors)) u.close_stdin = *b;
  }
  if (const Field* f = map.Find("read_for")) {
    if (auto d = ReadDuration(*f, errors)) u.read_for = *d;
  }
  if (const Field* f = map.Find("demux")) {
    if (auto d = ReadString(*f, errors)) {
      if (*d == "auto") u.demux = UpgradeSpec::Demux::kAuto;
      else if (*d == "docker") u.demux = UpgradeSpec::Demux::kDocker;
      else if (*d == "none") u.demux = UpgradeSpec::Demux::kNone;
      else errors->Add(f->Mark(), "\"demux\" must be one of auto, docker, none (got " + Quoted(*d) + ")");
    }
  }
  if (!http->body_file.empty()) {
    errors->Add(upgrade->key_mark, "\"upgrade\" sends body or json before the stream, not body_file");
  }
  if (http->disconnect_after) {
    errors->Add(upgrade->key_mark, "\"upgrade\" leaves with hang_up: { after: D }, not disconnect_after");
  }
  http->upgrade = u;
}

void ReadStreamExpect(const Field& field, ExpectSpec* expect, ErrorList* errors) {
  MapReader map(field, kStreamExpectKeys, errors);
  const bool messages = field.name == "messages";
  for (const Field& f : map.fields()) {
    if (f.name == "min" && !messages) {
      errors->Add(f.key_mark, "\"min\" counts messages: write min_bytes for an upgraded stream's output");
    } else if ((f.name == "min_bytes" || f.name == "json") && messages == (f.name == "min_bytes")) {
      errors->Add(f.key_mark, Quoted(f.name) + " goes only in " + (messages ? "\"output\"" : "\"messages\""));
    } else if (f.name == "min") {
      if (auto n = ReadInt(f, 0, std::numeric_limits<int>::max(), errors)) expect->min_messages = *n;
    } else if (f.name == "min_bytes") {
      if (auto n = ReadInt(f, 0, std::numeric_limits<long long>::max(), errors)) expect->min_bytes = *n;
    } else if (f.name == "contains") {
      if (auto texts = ReadTemplateList(f, /*scalar_ok=*/true, errors)) {
        expect->body_contains.insert(expect->body_contains.end(), texts->begin(), texts->end());
      }
    } else if (f.name == "regex") {
      ReadRegexList(f, &expect->body_regex, errors);
    } else if (f.name == "json") {
      ReadJsonExpect(f, expect, errors);
    }
  }
}

}  // namespace leakprobe
