// `expect:` and `capture:` of http and exec steps (expect_reader.h).
#include "scenarios/expect_reader.h"

#include <limits>

#include <re2/re2.h>

#include "scenarios/template.h"
#include "scenarios/websocket_reader.h"
#include "scenarios/yaml_json.h"

namespace leakprobe {

namespace {

const std::vector<std::string_view> kExpectKeys = {"status", "exit_code", "headers",
                                                   "body_contains", "body_regex", "json",
                                                   "min_bytes", "min_lines", "output", "messages"};
const std::vector<std::string_view> kCaptureKeys = {"json", "regex", "header", "stdout"};

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

}  // namespace

bool CheckPointer(const std::string& pointer, const YAML::Mark& mark, ErrorList* errors) {
  if (auto why = JsonPointerError(pointer)) {
    errors->Add(mark, "bad JSON pointer " + Quoted(pointer) + ": " + *why);
    return false;
  }
  return true;
}

void ReadRegexList(const Field& f, std::vector<std::string>* out, ErrorList* errors) {
  std::vector<Field> items;
  if (f.value.IsSequence()) items = *ReadList(f, errors);
  else items.push_back(Field{f.name, f.key_mark, f.value});
  for (const Field& item : items) {
    std::optional<std::string> re = ReadString(item, errors);
    if (re && CheckRegex(item, *re, false, errors)) out->push_back(*re);
  }
}

void ReadJsonExpect(const Field& f, ExpectSpec* expect, ErrorList* errors) {
  MapReader pointers(f, {}, errors);
  for (const Field& p : pointers.fields()) {
    if (!CheckPointer(p.name, p.key_mark, errors)) continue;
    if (auto value = YamlToJson(p, errors)) expect->json.emplace_back(p.name, std::move(*value));
  }
}

std::optional<bool> ReadBool(const Field& f, ErrorList* errors) {
  if (f.value.IsScalar()) {
    const std::string& v = f.value.Scalar();
    if (v == "true" || v == "True" || v == "TRUE") return true;
    if (v == "false" || v == "False" || v == "FALSE") return false;
  }
  errors->Add(f.Mark(), Quoted(f.name) + " must be true or false");
  return std::nullopt;
}

// A regex that must compile and, for a capture, hold a group.
bool CheckRegex(const Field& f, const std::string& text, bool needs_group, ErrorList* errors) {
  RE2 re(text, RE2::Quiet);
  if (!re.ok()) {
    errors->Add(f.Mark(), "bad regex " + Quoted(text) + ": " + re.error());
    return false;
  }
  if (needs_group && re.NumberOfCapturingGroups() < 1) {
    errors->Add(f.Mark(), "regex " + Quoted(text) + " has no (group) to capture");
    return false;
  }
  return true;
}

void ReadExpect(const Field& field, Step::Kind kind, ExpectSpec* expect, ErrorList* errors) {
  MapReader map(field, kExpectKeys, errors);
  const bool http = kind == Step::Kind::kHttp;
  const bool websocket = kind == Step::Kind::kWebSocket;
  for (const Field& f : map.fields()) {
    if ((f.name == "status" || f.name == "headers") && !http && !websocket) {
      errors->Add(f.key_mark, Quoted(f.name) + " goes only with an \"http\" or \"websocket\" step");
    } else if (f.name == "output" && !http) {
      errors->Add(f.key_mark, "\"output\" goes only with an \"http\" step that has upgrade");
    } else if (f.name == "messages" && !websocket) {
      errors->Add(f.key_mark, "\"messages\" goes only with a \"websocket\" step");
    } else if (f.name == "output" || f.name == "messages") {
      ReadStreamExpect(f, expect, errors);
    } else if (f.name == "exit_code" && (http || websocket)) {
      errors->Add(f.key_mark, "\"exit_code\" goes only with an \"exec\" step");
    } else if (f.name == "status") {
      std::vector<Field> codes;
      if (f.value.IsSequence()) codes = *ReadList(f, errors);
      else codes.push_back(Field{f.name, f.key_mark, f.value});
      for (const Field& code : codes) {
        if (auto n = ReadInt(code, 100, 599, errors)) expect->status.push_back(static_cast<int>(*n));
      }
    } else if (f.name == "exit_code") {
      if (auto n = ReadInt(f, 0, 255, errors)) expect->exit_code = static_cast<int>(*n);
    } else if (f.name == "headers") {
      expect->headers = ReadTemplateMap(f, errors);
    } else if (f.name == "body_contains") {
      if (auto texts = ReadTemplateList(f, /*scalar_ok=*/true, errors)) expect->body_contains = *texts;
    } else if (f.name == "body_regex") {
      ReadRegexList(f, &expect->body_regex, errors);
    } else if (f.name == "json") {
      ReadJsonExpect(f, expect, errors);
    } else if (f.name == "min_bytes") {
      if (auto n = ReadInt(f, 0, std::numeric_limits<long long>::max(), errors)) expect->min_bytes = *n;
    } else if (f.name == "min_lines") {
      if (auto n = ReadInt(f, 0, std::numeric_limits<long long>::max(), errors)) expect->min_lines = *n;
    }
  }
}

void ReadCaptures(const Field& field, Step::Kind kind, std::vector<CaptureSpec>* captures,
                  ErrorList* errors) {
  MapReader map(field, {}, errors);
  for (const Field& entry : map.fields()) {
    if (!IsVariableName(entry.name)) {
      errors->Add(entry.key_mark, "capture name " + Quoted(entry.name) +
                                      " must be letters, digits, \"_\" and \"-\"");
      continue;
    }
    MapReader spec(entry.value, entry.Mark(),
                   "capture " + Quoted(entry.name) + " must be a map like {json: /Id}",
                   kCaptureKeys, errors);
    if (!spec.is_map()) continue;
    if (spec.fields().size() != 1) {
      if (!spec.fields().empty() || entry.value.size() == 0) {
        errors->Add(spec.mark(), "a capture has exactly one of json, regex, header or stdout");
      }
      continue;
    }
    const Field& how = spec.fields().front();
    CaptureSpec c;
    c.name = entry.name;
    c.pos = errors->Pos(entry.key_mark);
    if (how.name == "stdout") {
      if (kind != Step::Kind::kExec) {
        errors->Add(how.key_mark, "\"stdout\" captures go only with an \"exec\" step");
        continue;
      }
      std::optional<bool> yes = ReadBool(how, errors);
      if (!yes) continue;
      if (!*yes) {
        errors->Add(how.Mark(), "write stdout: true, or leave the capture out");
        continue;
      }
      c.from = CaptureSpec::From::kStdout;
    } else {
      std::optional<std::string> text = ReadString(how, errors);
      if (!text) continue;
      if (how.name == "json") {
        if (!CheckPointer(*text, how.Mark(), errors)) continue;
        c.from = CaptureSpec::From::kJson;
        c.json_pointer = *text;
      } else if (how.name == "regex") {
        if (!CheckRegex(how, *text, true, errors)) continue;
        c.from = CaptureSpec::From::kRegex;
        c.regex = *text;
      } else {
        if (kind != Step::Kind::kHttp && kind != Step::Kind::kWebSocket) {
          errors->Add(how.key_mark, "\"header\" captures go only with an \"http\" or \"websocket\" step");
          continue;
        }
        if (text->empty()) {
          errors->Add(how.Mark(), "\"header\" is empty");
          continue;
        }
        c.from = CaptureSpec::From::kHeader;
        c.header = *text;
      }
    }
    captures->push_back(std::move(c));
  }
}

}  // namespace leakprobe
