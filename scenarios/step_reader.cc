#include "scenarios/step_reader.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "scenarios/leaks_reader.h"
#include "scenarios/template.h"
#include "scenarios/yaml_json.h"

namespace leakprobe {

namespace {

const std::vector<std::string_view> kKinds = {"http", "sleep", "check"};
// Step kinds the product describes that this version does not run yet: named so the
// message says "not yet" rather than "unknown".
const std::vector<std::string_view> kFutureKinds = {"exec", "wait_until", "repeat", "parallel",
                                                    "snapshot"};
const std::vector<std::string_view> kStepKeys = {"name", "http", "sleep", "check", "expect",
                                                 "capture"};
const std::vector<std::string_view> kHttpKeys = {"method", "url", "headers", "body", "json",
                                                 "socket", "disconnect_after", "timeout"};
const std::vector<std::string_view> kExpectKeys = {"status", "body_contains"};

void ReadHttp(const Field& field, HttpSpec* http, ErrorList* errors) {
  MapReader map(field, kHttpKeys, errors);
  if (!map.is_map()) return;
  map.Require("url", errors);
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
    } else if (f.name == "body") {
      if (map.Has("json")) {
        errors->Add(f.key_mark, "\"body\" and \"json\" cannot both be set");
      } else if (auto body = ReadTemplate(f, errors)) {
        http->body = *body;
      }
    } else if (f.name == "json") {
      if (auto json = YamlToJson(f, errors)) http->json = std::move(*json);
    } else if (f.name == "socket") {
      if (auto socket = ReadTemplate(f, errors)) http->socket = *socket;
    } else if (f.name == "disconnect_after") {
      if (auto d = ReadDuration(f, errors)) http->disconnect_after = *d;
    } else if (f.name == "timeout") {
      if (auto d = ReadDuration(f, errors)) {
        if (d->count() > 0) http->timeout = *d;
        else errors->Add(f.Mark(), "\"timeout\" must be more than 0");
      }
    }
  }
}

void ReadExpect(const Field& field, ExpectSpec* expect, ErrorList* errors) {
  MapReader map(field, kExpectKeys, errors);
  for (const Field& f : map.fields()) {
    if (f.name == "status") {
      std::vector<Field> codes =
          f.value.IsSequence() ? *ReadList(f, errors) : std::vector<Field>{f};
      for (const Field& code : codes) {
        if (auto n = ReadInt(code, 100, 599, errors)) expect->status.push_back(static_cast<int>(*n));
      }
    } else if (f.name == "body_contains") {
      if (auto texts = ReadTemplateList(f, /*scalar_ok=*/true, errors)) expect->body_contains = *texts;
    }
  }
}

// "", "/Id", "/a~1b/0": RFC 6901.
std::optional<std::string> JsonPointerError(const std::string& p) {
  if (!p.empty() && p[0] != '/') return "it must be empty or start with \"/\"";
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '~' && (i + 1 >= p.size() || (p[i + 1] != '0' && p[i + 1] != '1'))) {
      return "\"~\" must be written \"~0\" (and \"/\" as \"~1\")";
    }
  }
  return std::nullopt;
}

void ReadCaptures(const Field& field, std::vector<CaptureSpec>* captures, ErrorList* errors) {
  MapReader map(field, {}, errors);
  for (const Field& entry : map.fields()) {
    if (!IsVariableName(entry.name)) {
      errors->Add(entry.key_mark, "capture name " + Quoted(entry.name) +
                                      " must be letters, digits, \"_\" and \"-\"");
      continue;
    }
    MapReader spec(entry.value, entry.Mark(),
                   "capture " + Quoted(entry.name) + " must be a map like {json: /Id}", {"json"},
                   errors);
    if (!spec.is_map() || !spec.Require("json", errors)) continue;
    std::optional<std::string> pointer = ReadString(*spec.Find("json"), errors);
    if (!pointer) continue;
    if (auto why = JsonPointerError(*pointer)) {
      errors->Add(spec.Find("json")->Mark(), "bad JSON pointer " + Quoted(*pointer) + ": " + *why);
      continue;
    }
    captures->push_back(CaptureSpec{entry.name, *pointer, errors->Pos(entry.key_mark)});
  }
}

std::optional<Step> ReadStep(const Field& item, ErrorList* errors) {
  MapReader map(item.value, item.Mark(), "a step must be a map like {http: {url: ...}}", kStepKeys,
                errors, kFutureKinds);
  if (!map.is_map()) return std::nullopt;

  Step step;
  step.pos = errors->Pos(map.mark());
  const Field* kind = nullptr;
  bool future = false;
  for (const Field& f : map.fields()) {
    if (std::find(kFutureKinds.begin(), kFutureKinds.end(), f.name) != kFutureKinds.end()) {
      errors->Add(f.key_mark, "step kind " + Quoted(f.name) +
                                  " is not supported yet (write http, sleep or check)");
      future = true;
    } else if (std::find(kKinds.begin(), kKinds.end(), f.name) != kKinds.end()) {
      if (kind && kind->name != f.name) {
        errors->Add(f.key_mark, "step has both " + Quoted(kind->name) + " and " + Quoted(f.name) +
                                    "; write one per step");
      }
      if (!kind) kind = &f;
    }
  }
  if (!kind) {
    if (!future) errors->Add(map.mark(), "step needs one of \"http\", \"sleep\" or \"check\"");
    return std::nullopt;
  }

  if (kind->name == "http") {
    step.kind = Step::Kind::kHttp;
    ReadHttp(*kind, &step.http, errors);
  } else if (kind->name == "sleep") {
    step.kind = Step::Kind::kSleep;
    if (auto d = ReadDuration(*kind, errors)) step.sleep = *d;
  } else {
    step.kind = Step::Kind::kCheck;
    step.check = ReadLeaks(*kind, errors);
  }
  for (const Field& f : map.fields()) {
    if (f.name == "name") {
      if (auto name = ReadString(f, errors)) step.name = *name;
    } else if ((f.name == "expect" || f.name == "capture") && step.kind != Step::Kind::kHttp) {
      errors->Add(f.key_mark, Quoted(f.name) + " goes only with an \"http\" step");
    } else if (f.name == "expect") {
      ReadExpect(f, &step.expect, errors);
    } else if (f.name == "capture") {
      ReadCaptures(f, &step.captures, errors);
    }
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
