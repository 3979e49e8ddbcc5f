#include "scenarios/step_reader.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <optional>

#include "scenarios/expect_reader.h"
#include "scenarios/grpc_reader.h"
#include "scenarios/hang_up_reader.h"
#include "scenarios/leaks_reader.h"
#include "scenarios/template.h"
#include "scenarios/websocket_reader.h"
#include "scenarios/yaml_json.h"

namespace leakprobe {

namespace {

const std::vector<std::string_view> kKinds = {"http",   "exec",     "sleep",   "check",
                                              "wait_until", "repeat", "parallel", "snapshot",
                                              "websocket", "grpc"};
const std::vector<std::string_view> kStepKeys = {"name",   "http",     "exec",  "grpc",   "sleep",
                                                 "check",  "wait_until", "repeat", "parallel",
                                                 "snapshot", "websocket", "expect", "capture"};
// They sit beside "repeat: N", its short form; accepted in any step but not suggested there,
// and reported in their own words elsewhere.
const std::vector<std::string_view> kShortRepeatKeys = {"steps", "concurrency", "growth"};
const std::vector<std::string_view> kHttpKeys = {"method", "url", "headers", "body", "json",
                                                 "body_file", "socket", "disconnect_after",
                                                 "hang_up", "timeout", "insecure", "max_body",
                                                 "upgrade", "send", "close_stdin", "read_for", "demux"};
const std::vector<std::string_view> kExecKeys = {"run", "shell", "env", "cwd", "timeout"};
const std::vector<std::string_view> kWaitKeys = {"steps", "interval", "timeout"};
const std::vector<std::string_view> kRepeatKeys = {"times", "concurrency", "steps", "growth"};
const std::vector<std::string_view> kGrowthKeys = {"max_per_iteration", "settle", "fds"};
constexpr long long kMaxInt = std::numeric_limits<int>::max();

void ReadHttp(const Field& field, HttpSpec* http, ErrorList* errors) {
  MapReader map(field, kHttpKeys, errors);
  if (!map.is_map()) return;
  map.Require("url", errors);
  const Field* first_body = nullptr;
  for (const Field& f : map.fields()) {
    if ((f.name == "body" || f.name == "json" || f.name == "body_file") && !first_body) first_body = &f;
  }
  for (const Field& f : map.fields()) {
    if (f.name == "method") {
      if (auto m = ReadString(f, errors)) {
        std::string upper = *m;
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        bool letters = !upper.empty() && std::all_of(upper.begin(), upper.end(), [](char c) {
          return c >= 'A' && c <= 'Z';
        });
        if (letters) http->method = upper;
        else errors->Add(f.Mark(), "bad method " + Quoted(*m));
      }
    } else if (f.name == "url") {
      if (auto url = ReadTemplate(f, errors)) {
        if (url->empty()) errors->Add(f.Mark(), "\"url\" is empty");
        http->url = *url;
      }
    } else if (f.name == "headers") {
      http->headers = ReadTemplateMap(f, errors);
    } else if ((f.name == "body" || f.name == "json" || f.name == "body_file") && &f != first_body) {
      errors->Add(f.key_mark, Quoted(first_body->name) + " and " + Quoted(f.name) +
                                  " cannot both be set");
    } else if (f.name == "body") {
      if (auto body = ReadTemplate(f, errors)) http->body = *body;
    } else if (f.name == "json") {
      if (auto json = YamlToJson(f, errors)) http->json = std::move(*json);
    } else if (f.name == "body_file") {
      if (auto path = ReadTemplate(f, errors)) http->body_file = *path;
    } else if (f.name == "socket") {
      if (auto socket = ReadTemplate(f, errors)) http->socket = *socket;
    } else if (f.name == "disconnect_after") {
      if (map.Has("hang_up")) {
        errors->Add(f.key_mark, "\"disconnect_after\" and \"hang_up\" cannot both be set "
                                "(disconnect_after: D is hang_up: { after: D })");
      } else if (auto d = ReadPositiveDuration(f, errors)) {
        http->disconnect_after = *d;
      }
    } else if (f.name == "hang_up") {
      http->hang_up = ReadHangUp(f, HttpHows(), /*messages=*/false, errors);
    } else if (f.name == "timeout") {
      if (auto d = ReadPositiveDuration(f, errors)) http->timeout = *d;
    } else if (f.name == "insecure") {
      if (auto b = ReadBool(f, errors)) http->insecure = *b;
    } else if (f.name == "max_body") {
      if (auto n = ReadInt(f, 0, 1LL << 30, errors)) http->max_body = static_cast<size_t>(*n);
    }
  }
  ReadUpgradeKeys(map, http, errors);
}

void ReadExec(const Field& field, ExecSpec* exec, ErrorList* errors) {
  MapReader map(field, kExecKeys, errors);
  if (!map.is_map()) return;
  map.Require("run", errors);
  if (const Field* shell = map.Find("shell")) {
    if (auto b = ReadBool(*shell, errors)) exec->shell = *b;
  }
  for (const Field& f : map.fields()) {
    if (f.name == "run") {
      if (exec->shell) {
        if (auto line = ReadTemplate(f, errors)) exec->run = {*line};
      } else if (f.value.IsScalar()) {
        errors->Add(f.Mark(), "run takes a list (argv), not a string: write run: [cmd, arg] "
                              "or add shell: true");
      } else if (auto argv = ReadTemplateList(f, /*scalar_ok=*/false, errors)) {
        if (argv->empty()) errors->Add(f.Mark(), "\"run\" is empty");
        exec->run = *argv;
      }
    } else if (f.name == "env") {
      exec->env = ReadTemplateMap(f, errors);
    } else if (f.name == "cwd") {
      if (auto cwd = ReadTemplate(f, errors)) exec->cwd = *cwd;
    } else if (f.name == "timeout") {
      if (auto d = ReadPositiveDuration(f, errors)) exec->timeout = *d;
    }
  }
}

std::vector<Step> ReadNestedSteps(const MapReader& map, const char* kind, ErrorList* errors) {
  if (!map.Require("steps", errors)) return {};
  const Field& f = *map.Find("steps");
  std::vector<Step> steps = ReadSteps(f, errors);
  if (f.value.IsSequence() && f.value.size() == 0) {
    errors->Add(f.Mark(), std::string("\"steps\" of a ") + kind + " is empty");
  }
  return steps;
}

void ReadWaitUntil(const Field& field, Step* step, ErrorList* errors) {
  MapReader map(field, kWaitKeys, errors);
  if (!map.is_map()) return;
  for (const Field& f : map.fields()) {
    if (f.name == "interval") {
      if (auto d = ReadPositiveDuration(f, errors)) step->interval = *d;
    } else if (f.name == "timeout") {
      if (auto d = ReadPositiveDuration(f, errors)) step->timeout = *d;
    }
  }
  step->steps = ReadNestedSteps(map, "wait_until", errors);
}

// `growth: {max_per_iteration: 0.5, settle: 3s, fds: true}`, or `growth: true` for the
// defaults. Its fit needs at least 3 points after the start: iterations, or rounds of
// `concurrency`.
void ReadGrowth(const Field& field, const Field* times, Step* step, ErrorList* errors) {
  GrowthSpec growth;
  growth.pos = errors->Pos(field.key_mark);
  if (field.value.IsScalar()) {
    std::optional<bool> on = ReadBool(field, errors);
    if (!on) return;
    if (!*on) return;  // growth: false, as if absent
  } else {
    MapReader map(field, kGrowthKeys, errors, /*empty_ok=*/true);
    for (const Field& f : map.fields()) {
      if (f.name == "max_per_iteration") {
        std::optional<std::string> text = ReadString(f, errors);
        char* end = nullptr;
        double v = text ? std::strtod(text->c_str(), &end) : -1;
        if (!text) continue;
        if (end == text->c_str() || *end != '\0' || !(v >= 0) || v > 1e6) {
          errors->Add(f.Mark(), "\"max_per_iteration\" must be a number >= 0, e.g. 0.5 (got " + Quoted(*text) + ")");
        } else {
          growth.max_per_iteration = v;
        }
      } else if (f.name == "settle") {
        if (auto d = ReadDuration(f, errors)) growth.settle = *d;
      } else if (f.name == "fds") {
        if (auto b = ReadBool(f, errors)) growth.fds = *b;
      }
    }
  }
  int rounds = (step->times + step->concurrency - 1) / step->concurrency;
  if (times && rounds < 3) {
    std::string why = step->concurrency > 1
                          ? std::to_string(step->times) + " iterations at concurrency " +
                                std::to_string(step->concurrency) + " are " + std::to_string(rounds) + " rounds"
                          : "times is " + std::to_string(step->times);
    errors->Add(field.key_mark, "growth needs at least 3 points to fit a slope, one after each iteration (or each "
                                "round of concurrency): " + why);
  }
  step->growth = growth;
}

// What the map form `repeat: {times: 20, steps: [...]}` and the short form `repeat: 20` with
// `steps:` beside it share: `map` holds steps, concurrency and growth, `times` is where the
// count is (null when it is missing: reported already).
void ReadRepeatBody(const MapReader& map, const Field* times, Step* step, ErrorList* errors) {
  if (times) {
    if (auto n = ReadInt(*times, 1, 1000000, errors)) step->times = static_cast<int>(*n);
  }
  if (const Field* f = map.Find("concurrency")) {
    if (auto n = ReadInt(*f, 1, 1000, errors)) step->concurrency = static_cast<int>(*n);
  }
  if (const Field* f = map.Find("growth")) ReadGrowth(*f, times, step, errors);
  if (errors->var_check) errors->var_check->DefineLocal("repeat.index");
  step->steps = ReadNestedSteps(map, "repeat", errors);
}

void ReadRepeat(const Field& field, const MapReader& step_map, Step* step, ErrorList* errors) {
  if (field.value.IsScalar()) {  // the short form
    ReadRepeatBody(step_map, &field, step, errors);
    return;
  }
  for (std::string_view key : kShortRepeatKeys) {
    if (const Field* f = step_map.Find(key)) {
      errors->Add(f->key_mark, Quoted(key) + " goes inside \"repeat\" when it is a map (or write "
                               "the short form: repeat: N, with steps: beside it)");
    }
  }
  MapReader map(field, kRepeatKeys, errors);
  if (!map.is_map()) return;
  map.Require("times", errors);
  ReadRepeatBody(map, map.Find("times"), step, errors);
}

void ReadParallel(const Field& field, Step* step, ErrorList* errors) {
  step->steps = ReadSteps(field, errors);
  if (field.value.IsSequence() && field.value.size() == 0) {
    errors->Add(field.Mark(), "\"parallel\" is empty: list the steps to run at once");
  }
}

// The step's kind from the key that names it, and what that key holds.
void ReadKind(const Field& kind, const MapReader& map, Step* step, ErrorList* errors) {
  const std::string& k = kind.name;
  if (k == "http") {
    step->kind = Step::Kind::kHttp;
    ReadHttp(kind, &step->http, errors);
  } else if (k == "websocket") {
    step->kind = Step::Kind::kWebSocket;
    ReadWebSocket(kind, &step->websocket, errors);
  } else if (k == "grpc") {
    step->kind = Step::Kind::kGrpc;
    ReadGrpc(kind, &step->grpc, errors);
  } else if (k == "exec") {
    step->kind = Step::Kind::kExec;
    ReadExec(kind, &step->exec, errors);
  } else if (k == "sleep") {
    step->kind = Step::Kind::kSleep;
    if (auto d = ReadDuration(kind, errors)) step->sleep = *d;
  } else if (k == "check") {
    step->kind = Step::Kind::kCheck;
    step->check = ReadLeaks(kind, errors);
  } else if (k == "wait_until") {
    step->kind = Step::Kind::kWaitUntil;
    ReadWaitUntil(kind, step, errors);
  } else if (k == "repeat") {
    step->kind = Step::Kind::kRepeat;
    ReadRepeat(kind, map, step, errors);
  } else if (k == "parallel") {
    step->kind = Step::Kind::kParallel;
    ReadParallel(kind, step, errors);
  } else {
    step->kind = Step::Kind::kSnapshot;
    if (auto name = ReadString(kind, errors)) {
      if (!IsVariableName(*name)) {
        errors->Add(kind.Mark(), "snapshot name " + Quoted(*name) +
                                     " must be letters, digits, \"_\" and \"-\"");
      } else {
        step->snapshot = *name;
      }
    }
  }
}

std::optional<Step> ReadStep(const Field& item, ErrorList* errors) {
  MapReader map(item.value, item.Mark(), "a step must be a map like {http: {url: ...}}", kStepKeys,
                errors, kShortRepeatKeys);
  if (!map.is_map()) return std::nullopt;

  Step step;
  step.pos = errors->Pos(map.mark());
  const Field* kind = nullptr;
  for (const Field& f : map.fields()) {
    if (std::find(kKinds.begin(), kKinds.end(), f.name) == kKinds.end()) continue;
    if (kind && kind->name != f.name) {
      errors->Add(f.key_mark, "step has both " + Quoted(kind->name) + " and " + Quoted(f.name) +
                                  "; write one per step");
    }
    if (!kind) kind = &f;
  }
  if (!kind) {
    errors->Add(map.mark(),
                "step needs one of http, websocket, exec, grpc, sleep, check, wait_until, repeat, parallel or snapshot");
    return std::nullopt;
  }

  ReadKind(*kind, map, &step, errors);
  const bool runs_something = step.kind == Step::Kind::kHttp || step.kind == Step::Kind::kExec ||
                              step.kind == Step::Kind::kWebSocket || step.kind == Step::Kind::kGrpc;
  if (step.kind != Step::Kind::kRepeat) {
    for (std::string_view key : kShortRepeatKeys) {
      if (const Field* f = map.Find(key)) {
        errors->Add(f->key_mark, Quoted(key) + " goes only with \"repeat: N\" (the short form of "
                                 "repeat)" + (key == "steps" && step.kind == Step::Kind::kWaitUntil
                                                  ? "; a wait_until's steps go inside it"
                                                  : ""));
      }
    }
  }
  for (const Field& f : map.fields()) {
    if (f.name == "name") {
      if (auto name = ReadString(f, errors)) step.name = *name;
    } else if ((f.name == "expect" || f.name == "capture") && !runs_something) {
      errors->Add(f.key_mark, Quoted(f.name) + " goes only with an \"http\", \"websocket\", \"grpc\" or \"exec\" step");
    } else if (f.name == "expect" && step.kind == Step::Kind::kGrpc) {
      ReadGrpcExpect(f, &step.grpc.expect, errors);
    } else if (f.name == "capture" && step.kind == Step::Kind::kGrpc) {
      ReadGrpcCaptures(f, &step.grpc.captures, errors);
    } else if (f.name == "expect") {
      ReadExpect(f, step.kind, &step.expect, errors);
    } else if (f.name == "capture") {
      ReadCaptures(f, step.kind, &step.captures, errors);
    }
  }
  // What this step defines is there for the steps after it, not for itself.
  if (errors->var_check) {
    for (const CaptureSpec& c : step.captures) errors->var_check->DefineLocal(c.name);
    for (const GrpcCapture& c : step.grpc.captures) errors->var_check->DefineLocal(c.name);
    if (!step.snapshot.empty()) errors->var_check->DefineSnapshot(step.snapshot);
  }
  return step;
}

}  // namespace

std::vector<Step> ReadSteps(const Field& field, ErrorList* errors) {
  std::vector<Step> steps;
  std::optional<std::vector<Field>> items = ReadList(field, errors);
  if (!items) return steps;
  for (const Field& item : *items) {
    if (auto step = ReadStep(item, errors)) steps.push_back(std::move(*step));
  }
  return steps;
}

}  // namespace leakprobe
