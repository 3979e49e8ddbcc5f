// The "default" annotations of the JSON Schema (schema.cc) cannot lie: for each one, a
// minimal file that writes the key with that value loads into the same model as the file
// without the key, and a file with another value does not (so the case really reads the
// key). Every default the schema states has a case here, and every case a default.
#include <functional>
#include <map>
#include <optional>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenarios/loader.h"
#include "scenarios/schema.h"

namespace leakprobe {
namespace {

using nlohmann::json;

// Every "default" of the schema, by the JSON pointer of the schema that states it:
// "/definitions/http/properties/timeout" -> "30s".
void CollectDefaults(const json& schema, const std::string& pointer, std::map<std::string, json>* out) {
  if (!schema.is_object()) return;
  if (schema.contains("default")) (*out)[pointer] = schema["default"];
  for (const auto& [key, value] : schema.items()) {
    if (key == "default" || key == "const" || key == "enum" || key == "examples") continue;
    if (key == "properties" || key == "definitions" || key == "patternProperties") {
      for (const auto& [name, sub] : value.items()) CollectDefaults(sub, pointer + "/" + key + "/" + name, out);
    } else if (value.is_object()) {
      CollectDefaults(value, pointer + "/" + key, out);
    } else if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) {
        CollectDefaults(value[i], pointer + "/" + key + "/" + std::to_string(i), out);
      }
    }
  }
}

// "{a, b}" with the empty ones left out: Map("", "url: x") is "{url: x}".
std::string Map(const std::string& a, const std::string& b = "") {
  return "{" + a + (a.empty() || b.empty() ? "" : ", ") + b + "}";
}

std::string OneScenario(const std::string& steps, const std::string& leaks = "") {
  return "scenarios:\n  - name: s\n    steps: [" + steps + "]\n" +
         (leaks.empty() ? "" : "    leaks: " + leaks + "\n");
}

std::string Ms(Millis d) { return std::to_string(d.count()); }
std::string Bool(bool b) { return b ? "true" : "false"; }

const Step& FirstStep(const Suite& s) { return s.scenarios.at(0).steps.at(0); }
const LeaksSpec& Leaks(const Suite& s) { return *s.scenarios.at(0).leaks; }

struct DefaultCase {
  const char* pointer;  // where the schema states the default
  const char* other;    // another valid value, as YAML
  // The file with `kv` ("timeout: 30s", or "" for the key left out) in place.
  std::function<std::string(const std::string& kv)> file;
  // The value the run uses, as text.
  std::function<std::string(const Suite&)> read;
};

const DefaultCase kCases[] = {
    {"/definitions/target/properties/stop/properties/signal", "SIGINT",
     [](const std::string& kv) { return "target: {stop: " + Map(kv) + "}\n" + OneScenario(""); },
     [](const Suite& s) { return std::to_string(s.target.stop.signal); }},
    {"/definitions/target/properties/stop/properties/grace", "1s",
     [](const std::string& kv) { return "target: {stop: " + Map(kv) + "}\n" + OneScenario(""); },
     [](const Suite& s) { return Ms(s.target.stop.grace); }},
    {"/definitions/target/properties/shared", "true",
     [](const std::string& kv) { return "target: " + Map(kv) + "\n" + OneScenario(""); },
     [](const Suite& s) { return Bool(s.target.shared); }},
    {"/definitions/ready/properties/timeout", "1s",
     [](const std::string& kv) { return "target: {ready: " + Map(kv) + "}\n" + OneScenario(""); },
     [](const Suite& s) { return Ms(s.target.ready.timeout); }},
    {"/definitions/dump/properties/sigquit", "true",
     [](const std::string& kv) { return "dump: " + Map(kv) + "\n" + OneScenario(""); },
     [](const Suite& s) { return Bool(s.dump.sigquit); }},
    {"/definitions/dump/properties/max_bytes", "4MiB",
     [](const std::string& kv) { return "dump: " + Map(kv, "url: \"http://h/\"") + "\n" + OneScenario(""); },
     [](const Suite& s) { return std::to_string(s.dump.max_bytes); }},
    {"/definitions/dump/properties/timeout", "5s",
     [](const std::string& kv) { return "dump: " + Map(kv, "url: \"http://h/\"") + "\n" + OneScenario(""); },
     [](const Suite& s) { return Ms(s.dump.timeout); }},
    {"/definitions/dump/properties/leak_profile", "off",
     [](const std::string& kv) { return "dump: " + Map(kv, "url: \"http://h/\"") + "\n" + OneScenario(""); },
     [](const Suite& s) { return std::to_string(static_cast<int>(s.dump.leak_profile)); }},
    {"/definitions/dump/properties/poll", "full",
     [](const std::string& kv) { return "dump: " + Map(kv, "url: \"http://h/\"") + "\n" + OneScenario(""); },
     [](const Suite& s) { return std::to_string(static_cast<int>(s.dump.poll)); }},
    {"/definitions/leaks/properties/max_proven", "2",
     [](const std::string& kv) { return OneScenario("", Map(kv)); },
     [](const Suite& s) { return std::to_string(Leaks(s).max_proven); }},
    {"/definitions/growth/anyOf/1/properties/max_per_iteration", "0.25",
     [](const std::string& kv) { return OneScenario("{repeat: 5, steps: [{sleep: 1ms}], growth: " + Map(kv) + "}"); },
     [](const Suite& s) { return std::to_string(FirstStep(s).growth->max_per_iteration); }},
    {"/definitions/growth/anyOf/1/properties/settle", "1s",
     [](const std::string& kv) { return OneScenario("{repeat: 5, steps: [{sleep: 1ms}], growth: " + Map(kv) + "}"); },
     [](const Suite& s) { return Ms(FirstStep(s).growth->settle); }},
    {"/definitions/growth/anyOf/1/properties/fds", "false",
     [](const std::string& kv) { return OneScenario("{repeat: 5, steps: [{sleep: 1ms}], growth: " + Map(kv) + "}"); },
     [](const Suite& s) { return Bool(FirstStep(s).growth->fds); }},
    // The model leaves max_suspects unset; the harness reads it as value_or(0) (CompileRules).
    {"/definitions/leaks/properties/max_suspects", "3",
     [](const std::string& kv) { return OneScenario("", Map(kv)); },
     [](const Suite& s) { return std::to_string(Leaks(s).max_suspects.value_or(0)); }},
    {"/definitions/leaks/properties/settle", "1s",
     [](const std::string& kv) { return OneScenario("", Map(kv)); },
     [](const Suite& s) { return Ms(Leaks(s).settle); }},
    {"/definitions/leaks/properties/min_wait", "5m",
     [](const std::string& kv) { return OneScenario("", Map(kv)); },
     [](const Suite& s) { return std::to_string(Leaks(s).min_wait_minutes); }},
    {"/definitions/leaks/properties/against", "before",
     [](const std::string& kv) { return OneScenario("{snapshot: before}", Map(kv)); },
     [](const Suite& s) { return Leaks(s).against; }},
    {"/definitions/http/properties/method", "POST",
     [](const std::string& kv) { return OneScenario("{http: " + Map(kv, "url: \"http://h/\"") + "}"); },
     [](const Suite& s) { return FirstStep(s).http.method; }},
    {"/definitions/http/properties/timeout", "1s",
     [](const std::string& kv) { return OneScenario("{http: " + Map(kv, "url: \"http://h/\"") + "}"); },
     [](const Suite& s) { return Ms(FirstStep(s).http.timeout); }},
    {"/definitions/http/properties/insecure", "true",
     [](const std::string& kv) { return OneScenario("{http: " + Map(kv, "url: \"http://h/\"") + "}"); },
     [](const Suite& s) { return Bool(FirstStep(s).http.insecure); }},
    {"/definitions/http/properties/max_body", "10",
     [](const std::string& kv) { return OneScenario("{http: " + Map(kv, "url: \"http://h/\"") + "}"); },
     [](const Suite& s) { return std::to_string(FirstStep(s).http.max_body); }},
    {"/definitions/hangUp/properties/how", "reset",
     [](const std::string& kv) { return OneScenario("{http: {url: \"http://h/\", hang_up: " + Map("after: 1s", kv) + "}}"); },
     [](const Suite& s) { return std::string(HowName(FirstStep(s).http.hang_up->how)); }},
    {"/definitions/hangUp/properties/stall_for", "1s",
     [](const std::string& kv) {
       return OneScenario("{http: {url: \"http://h/\", hang_up: " + Map("after: 1s, how: stall", kv) + "}}");
     },
     [](const Suite& s) { return Ms(FirstStep(s).http.hang_up->stall_for); }},
    {"/definitions/http/properties/close_stdin", "true",
     [](const std::string& kv) { return OneScenario("{http: " + Map(kv, "url: \"http://h/\", upgrade: tcp") + "}"); },
     [](const Suite& s) { return Bool(FirstStep(s).http.upgrade->close_stdin); }},
    {"/definitions/http/properties/demux", "docker",
     [](const std::string& kv) { return OneScenario("{http: " + Map(kv, "url: \"http://h/\", upgrade: tcp") + "}"); },
     [](const Suite& s) { return std::to_string(static_cast<int>(FirstStep(s).http.upgrade->demux)); }},
    {"/definitions/streamSend/anyOf/1/properties/after", "1s",
     [](const std::string& kv) { return OneScenario("{websocket: {url: \"ws://h/\", send: [" + Map("text: x", kv) + "]}}"); },
     [](const Suite& s) { return Ms(FirstStep(s).websocket.send.at(0).pause); }},
    // The model leaves read_for unset; the client reads it as value_or(0) (websocket_client.cc).
    {"/definitions/websocket/properties/read_for", "1s",
     [](const std::string& kv) { return OneScenario("{websocket: " + Map(kv, "url: \"ws://h/\"") + "}"); },
     [](const Suite& s) { return Ms(FirstStep(s).websocket.read_for.value_or(Millis(0))); }},
    {"/definitions/websocket/properties/timeout", "1s",
     [](const std::string& kv) { return OneScenario("{websocket: " + Map(kv, "url: \"ws://h/\"") + "}"); },
     [](const Suite& s) { return Ms(FirstStep(s).websocket.timeout); }},
    {"/definitions/websocket/properties/insecure", "true",
     [](const std::string& kv) { return OneScenario("{websocket: " + Map(kv, "url: \"ws://h/\"") + "}"); },
     [](const Suite& s) { return Bool(FirstStep(s).websocket.insecure); }},
    {"/definitions/websocket/properties/max_messages", "10",
     [](const std::string& kv) { return OneScenario("{websocket: " + Map(kv, "url: \"ws://h/\"") + "}"); },
     [](const Suite& s) { return std::to_string(FirstStep(s).websocket.max_messages); }},
    {"/definitions/grpc/properties/timeout", "1s",
     [](const std::string& kv) { return OneScenario("{grpc: " + Map(kv, "target: \"h:1\", method: a.B/C") + "}"); },
     [](const Suite& s) { return Ms(FirstStep(s).grpc.timeout); }},
    {"/definitions/grpc/properties/tls", "true",
     [](const std::string& kv) { return OneScenario("{grpc: " + Map(kv, "target: \"h:1\", method: a.B/C") + "}"); },
     [](const Suite& s) { return Bool(FirstStep(s).grpc.tls); }},
    {"/definitions/grpc/properties/insecure", "true",
     [](const std::string& kv) { return OneScenario("{grpc: " + Map(kv, "target: \"h:1\", method: a.B/C, tls: true") + "}"); },
     [](const Suite& s) { return Bool(FirstStep(s).grpc.insecure); }},
    {"/definitions/grpc/properties/hang_up/properties/how", "reset",
     [](const std::string& kv) {
       return OneScenario("{grpc: {target: \"h:1\", method: a.B/C, hang_up: " + Map(kv, "after: 1s") + "}}");
     },
     [](const Suite& s) { return std::string(HowName(FirstStep(s).grpc.hang_up->how)); }},
    {"/definitions/grpc/properties/hang_up/properties/stall_for", "1s",
     [](const std::string& kv) {
       return OneScenario("{grpc: {target: \"h:1\", method: a.B/C, hang_up: " + Map(kv, "after: 1s, how: stall") + "}}");
     },
     [](const Suite& s) { return Ms(FirstStep(s).grpc.hang_up->stall_for); }},
    {"/definitions/capture/additionalProperties/properties/from", "first",
     [](const std::string& kv) {
       return OneScenario("{grpc: {target: \"h:1\", method: a.B/C}, capture: {x: " + Map(kv, "json: /a") + "}}");
     },
     [](const Suite& s) { return std::string(FirstStep(s).grpc.captures.at(0).first ? "first" : "last"); }},
    // With shell: true, run is one command line.
    {"/definitions/exec/properties/shell", "true",
     [](const std::string& kv) {
       bool shell = kv.find("true") != std::string::npos;
       return OneScenario("{exec: " + Map(kv, shell ? "run: \"true\"" : "run: [\"true\"]") + "}");
     },
     [](const Suite& s) { return Bool(FirstStep(s).exec.shell); }},
    {"/definitions/exec/properties/timeout", "1s",
     [](const std::string& kv) { return OneScenario("{exec: " + Map(kv, "run: [\"true\"]") + "}"); },
     [](const Suite& s) { return Ms(FirstStep(s).exec.timeout); }},
    // The model leaves exit_code unset; the harness reads it as value_or(0) (expect_capture.cc).
    {"/definitions/expect/properties/exit_code", "3",
     [](const std::string& kv) { return OneScenario("{exec: {run: [\"true\"]}, expect: " + Map(kv) + "}"); },
     [](const Suite& s) { return std::to_string(FirstStep(s).expect.exit_code.value_or(0)); }},
    {"/definitions/step/properties/wait_until/properties/interval", "1s",
     [](const std::string& kv) { return OneScenario("{wait_until: " + Map(kv, "steps: [{sleep: 0}]") + "}"); },
     [](const Suite& s) { return Ms(FirstStep(s).interval); }},
    {"/definitions/step/properties/wait_until/properties/timeout", "1s",
     [](const std::string& kv) { return OneScenario("{wait_until: " + Map(kv, "steps: [{sleep: 0}]") + "}"); },
     [](const Suite& s) { return Ms(FirstStep(s).timeout); }},
    {"/definitions/step/properties/repeat/anyOf/1/properties/concurrency", "2",
     [](const std::string& kv) { return OneScenario("{repeat: " + Map(kv, "times: 2, steps: [{sleep: 0}]") + "}"); },
     [](const Suite& s) { return std::to_string(FirstStep(s).concurrency); }},
    // The short form: `repeat: 2` with concurrency beside it.
    {"/definitions/step/properties/concurrency", "2",
     [](const std::string& kv) { return OneScenario(Map(kv, "repeat: 2, steps: [{sleep: 0}]")); },
     [](const Suite& s) { return std::to_string(FirstStep(s).concurrency); }},
};

std::map<std::string, json> SchemaDefaults() {
  std::map<std::string, json> defaults;
  CollectDefaults(json::parse(ScenarioJsonSchema()), "", &defaults);
  return defaults;
}

// The last part of a pointer: the key the default belongs to.
std::string KeyOf(const std::string& pointer) { return pointer.substr(pointer.rfind('/') + 1); }

// `text` loaded, or a failed expectation naming `what` and the loader's errors.
std::optional<Suite> Load(const std::string& text, const std::string& what) {
  Result<Suite> suite = ParseSuite(text, "defaults.yaml");
  EXPECT_TRUE(suite.ok()) << what << ":\n" << text << "\n" << suite.status().message();
  if (!suite.ok()) return std::nullopt;
  return suite.value();
}

TEST(SchemaDefaults, EveryDefaultHasACaseAndEveryCaseADefault) {
  std::map<std::string, json> defaults = SchemaDefaults();
  std::map<std::string, bool> cased;
  for (const DefaultCase& c : kCases) {
    cased[c.pointer] = true;
    EXPECT_TRUE(defaults.count(c.pointer)) << c.pointer << " has a case here but no \"default\" in the schema";
  }
  for (const auto& [pointer, value] : defaults) {
    EXPECT_TRUE(cased.count(pointer)) << "the schema states \"default\": " << value.dump() << " at " << pointer
                                      << "; add a case to kCases that checks the loader agrees";
  }
}

TEST(SchemaDefaults, EachIsWhatTheLoaderPutsInTheModel) {
  std::map<std::string, json> defaults = SchemaDefaults();
  for (const DefaultCase& c : kCases) {
    SCOPED_TRACE(c.pointer);
    auto it = defaults.find(c.pointer);
    if (it == defaults.end()) continue;  // reported by the test above
    const std::string key = KeyOf(c.pointer);
    // JSON is YAML: "30s", false, 4194304.
    std::optional<Suite> without = Load(c.file(""), "without the key");
    std::optional<Suite> with_default = Load(c.file(key + ": " + it->second.dump()), "with the default");
    std::optional<Suite> with_other = Load(c.file(key + ": " + c.other), "with another value");
    if (!without || !with_default || !with_other) continue;
    EXPECT_EQ(c.read(*with_default), c.read(*without))
        << "the schema says " << key << " defaults to " << it->second.dump()
        << ", but leaving it out is not the same as writing that";
    EXPECT_NE(c.read(*with_other), c.read(*without))
        << key << ": " << c.other << " reads the same as leaving it out: does the case read the key?";
  }
}

}  // namespace
}  // namespace leakprobe
