// Protos parsed at run time and the protobuf JSON mapping of grpc steps (grpc_schema.h), and
// what the loader makes of a grpc step (grpc_reader.h).
#include "scenarios/grpc_schema.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "scenarios/loader.h"

namespace leakprobe {
namespace {

const char* kProto = R"(syntax = "proto3";
package t.v1;
import "google/protobuf/timestamp.proto";
message Req { string key = 1; int64 rev = 2; bytes data = 3; repeated Item items = 4; bool watch_now = 5;
              google.protobuf.Timestamp at = 6; Kind kind = 7; }
message Item { string text = 1; }
enum Kind { KIND_UNSET = 0; KIND_A = 1; }
service S { rpc Get(Req) returns (Item); rpc Watch(stream Req) returns (stream Item); rpc List(Req) returns (stream Item); }
)";

class GrpcSchema : public ::testing::Test {
 protected:
  void SetUp() override {
    // A folder of its own, removed after: tests leave no temp files behind.
    std::string templ = ::testing::TempDir() + "grpc_schema_test.XXXXXX";
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    path_ = dir_ + "/t.proto";
    std::ofstream(path_) << kProto;
    auto schema = ProtoSchema::Load({path_}, {"/usr/include"});
    ASSERT_TRUE(schema.ok()) << schema.status().message();
    schema_ = schema.value();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_, path_;
  std::shared_ptr<const ProtoSchema> schema_;
};

TEST_F(GrpcSchema, FindsMethodsWithTheirStreaming) {
  struct Case {
    const char* method;
    bool client, server;
  };
  for (const Case& c : {Case{"t.v1.S/Get", false, false}, Case{"/t.v1.S/Watch", true, true}, Case{"t.v1.S/List", false, true}}) {
    auto m = schema_->FindMethod(c.method);
    ASSERT_TRUE(m.ok()) << m.status().message();
    EXPECT_EQ(m->client_streaming, c.client) << c.method;
    EXPECT_EQ(m->server_streaming, c.server) << c.method;
    EXPECT_EQ(m->input_type, "t.v1.Req");
  }
  EXPECT_EQ(schema_->FindMethod("t.v1.S/Gte").status().message(),
            "service \"t.v1.S\" has no method \"Gte\" (did you mean \"Get\"?)");
  EXPECT_EQ(schema_->FindMethod("t.v1.S/Nothing").status().message(),
            "service \"t.v1.S\" has no method \"Nothing\" (it has Get, Watch, List)");
  EXPECT_EQ(schema_->FindMethod("t.v1.T/Get").status().message(),
            "no service \"t.v1.T\" in the protos (did you mean \"t.v1.S\"?)");
}

TEST_F(GrpcSchema, MapsJsonToBytesAndBack) {
  struct Case {
    const char* json;  // in
    const char* back;  // fields of what comes back: proto names, int64 as strings, zeros printed
  };
  const Case cases[] = {
      {R"({})", R"({"key":"","rev":"0","data":"","items":[],"watch_now":false,"kind":"KIND_UNSET"})"},
      {R"({"key":"a","rev":"12"})", R"({"key":"a","rev":"12"})"},
      {R"({"rev":12})", R"({"rev":"12"})"},                          // a number for an int64
      {R"({"data":"aGk="})", R"({"data":"aGk="})"},                  // bytes as base64
      {R"({"watchNow":true})", R"({"watch_now":true})"},             // lowerCamelCase accepted
      {R"({"items":[{"text":"x"},{}]})", R"({"items":[{"text":"x"},{"text":""}]})"},
      {R"({"kind":"KIND_A"})", R"({"kind":"KIND_A"})"},
      {R"({"at":"2026-12-04T10:00:00Z"})", R"({"at":"2026-12-04T10:00:00Z"})"},
  };
  for (const Case& c : cases) {
    auto bytes = schema_->JsonToBytes("t.v1.Req", c.json);
    ASSERT_TRUE(bytes.ok()) << c.json << ": " << bytes.status().message();
    auto back = schema_->BytesToJson("t.v1.Req", bytes.value());
    ASSERT_TRUE(back.ok()) << back.status().message();
    const nlohmann::json got = nlohmann::json::parse(back.value());
    const nlohmann::json expected = nlohmann::json::parse(c.back);
    for (const auto& [key, want] : expected.items()) {
      EXPECT_EQ(got.value(key, nlohmann::json()), want) << c.json << " -> " << back.value();
    }
  }
}

TEST_F(GrpcSchema, RefusesWhatDoesNotFit) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"kee":"a"})", "t.v1.Req: kee: Cannot find field."},
      {R"({"rev":"x"})", "t.v1.Req: "},
      {R"({"items":"x"})", "t.v1.Req: "},
  };
  for (const auto& [json, error] : cases) {
    auto bytes = schema_->JsonToBytes("t.v1.Req", json);
    ASSERT_FALSE(bytes.ok()) << json;
    EXPECT_EQ(bytes.status().message().rfind(error, 0), 0u) << bytes.status().message();
  }
  EXPECT_FALSE(schema_->BytesToJson("t.v1.Req", "\xff\xff\xff").ok());
}

TEST_F(GrpcSchema, ReportsEveryProblemOfTheProtos) {
  std::string bad = dir_ + "/bad.proto";
  std::ofstream(bad) << "syntax = \"proto3\";\nimport \"nope.proto\";\nmessage A { B b = 1; }\n";
  auto schema = ProtoSchema::Load({bad}, {});
  ASSERT_FALSE(schema.ok());
  EXPECT_NE(schema.status().message().find("nope.proto: File not found."), std::string::npos) << schema.status().message();
  EXPECT_NE(schema.status().message().find("bad.proto:2:1: Import \"nope.proto\" was not found or had errors."),
            std::string::npos);
  EXPECT_EQ(ProtoSchema::Load({dir_ + "/none.proto"}, {}).status().message(),
            dir_ + "/none.proto: cannot read: No such file or directory");
}

TEST_F(GrpcSchema, TheLoaderReadsAGrpcStep) {
  std::string text = "scenarios:\n  - name: s\n    steps:\n"
                     "      - grpc:\n"
                     "          target: \"127.0.0.1:1\"\n"
                     "          protos: [" + path_ + "]\n"
                     "          import_paths: [/usr/include]\n"
                     "          method: t.v1.S/Watch\n"
                     "          metadata: { X-A: b }\n"
                     "          messages: [{ key: a }, { pause: 1s }, { pause: 2s }, { key: b }, { pause: 5s }]\n"
                     "          hang_up: { messages: 2, how: cancel }\n"
                     "        expect: { code: cancelled, min_messages: 1, first_json: { /text: x } }\n"
                     "        capture: { t: { json: /text, from: first } }\n";
  auto suite = ParseSuite(text, "f.yaml");
  ASSERT_TRUE(suite.ok()) << suite.status().message();
  const GrpcSpec& g = suite->scenarios[0].steps[0].grpc;
  EXPECT_EQ(suite->scenarios[0].steps[0].kind, Step::Kind::kGrpc);
  ASSERT_TRUE(g.schema);
  EXPECT_TRUE(g.client_streaming && g.server_streaming);
  ASSERT_EQ(g.messages.size(), 3u);
  EXPECT_EQ(g.messages[1].pause_before, Millis(3000));
  EXPECT_TRUE(g.messages[2].json.is_null());  // the pause at the end
  EXPECT_EQ(g.metadata.at(0).first, "x-a");
  EXPECT_EQ(g.hang_up->how, HangUpSpec::How::kCancel);
  EXPECT_EQ(g.expect.code, 1);
  EXPECT_TRUE(g.captures.at(0).first);
}

TEST(GrpcReader, ReportsMistakesWhereTheyAre) {
  const std::pair<const char*, const char*> cases[] = {
      {"{grpc: {target: \"h:1\", socket: /s, method: a.B/C}}", "f.yaml:4:32: \"target\" and \"socket\" cannot both be set"},
      {"{grpc: {method: a.B/C}}", "f.yaml:4:16: a grpc step needs \"target\" or \"socket\""},
      {"{grpc: {target: \"h:1\", method: aB}}", "f.yaml:4:40: \"method\" must be written package.Service/Method (got \"aB\")"},
      {"{grpc: {target: \"h:1\", method: a.B/C, hang_up: {after: 1s, how: half_close}}}",
       "f.yaml:4:73: \"how\" must be one of close, reset, stall, cancel, keep_open (got \"half_close\")"},
      {"{grpc: {target: \"h:1\", method: a.B/C}, expect: {code: NOPE}}",
       "f.yaml:4:63: \"code\" must be a gRPC code like OK, CANCELLED, UNAVAILABLE or a number (got \"NOPE\")"},
      {"{grpc: {target: \"h:1\", method: a.B/C}, capture: {x: {json: /a, from: middle}}}",
       "f.yaml:4:78: \"from\" must be first or last (got \"middle\")"},
      {"{grpc: {target: \"h:1\", method: a.B/C, protos: [\"${x}.proto\"]}}",
       "f.yaml:4:55: \"protos\" are read when the suite loads: write them without ${var}"},
  };
  for (const auto& [step, error] : cases) {
    std::string text = std::string("scenarios:\n  - name: s\n    steps:\n      - ") + step + "\n";
    auto suite = ParseSuite(text, "f.yaml");
    ASSERT_FALSE(suite.ok()) << step;
    EXPECT_NE(suite.status().message().find(error), std::string::npos) << suite.status().message();
  }
}

}  // namespace
}  // namespace leakprobe
