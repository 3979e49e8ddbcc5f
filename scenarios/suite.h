// The scenario model: what a scenario file says, as plain values. The loader (loader.h)
// fills it from YAML; the harness runs it. Strings may still hold "${var}" templates: the
// harness expands them when it runs a step, because captures exist only then. No I/O.
#ifndef LEAKPROBE_SCENARIOS_SUITE_H_
#define LEAKPROBE_SCENARIOS_SUITE_H_

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/duration.h"

namespace leakprobe {

// Where something stands in its file, 1-based: "logs.yaml:14:9".
struct SourcePos {
  std::string file;
  int line = 0;
  int col = 0;
  std::string ToString() const {
    return file + ":" + std::to_string(line) + ":" + std::to_string(col);
  }
};

// One matcher as written: `- keyword: "(*Server).logsContainer"`, `- regex: "^main\\.x$"`,
// `- top: "main.(*Monitor).loop"`, `- created_by: ...`, `- state: ...`, `- file: ...`.
// For top/created_by/state/file a value "regex:..." is a regex, anything else a keyword.
struct PatternSpec {
  std::string where = "any";  // any | top | created_by | state | file
  bool is_regex = false;
  std::string text;
  SourcePos pos;
};

// A `leaks:` block (or a `check:` step).
struct LeaksSpec {
  std::vector<PatternSpec> suspects;
  std::vector<PatternSpec> ignore;           // added to the suite's and the built-in ignores
  std::optional<int> max_new_goroutines;     // goroutines created since the baseline, alive, not ignored
  std::optional<int> max_suspects;           // default 0: any suspect is a leak
  Millis settle{Millis(5000)};               // re-dump with backoff until clean or this long
  SourcePos pos;
};

struct HttpSpec {
  std::string method = "GET";
  std::string url;                                 // template
  std::vector<std::pair<std::string, std::string>> headers;  // templates
  std::optional<std::string> body;                 // template
  std::optional<nlohmann::json> json;              // string leaves are templates
  std::string socket;                              // unix socket path (template); empty: TCP
  std::optional<Millis> disconnect_after;          // planned hang-up: success, keeps what arrived
  Millis timeout{Millis(30000)};                   // expiry is a step failure
};

struct ExpectSpec {
  std::vector<int> status;                         // any of these; empty: any 2xx/3xx is fine? no: not checked
  std::vector<std::string> body_contains;          // templates
};

struct CaptureSpec {
  std::string name;
  std::string json_pointer;                        // "/Id"
  SourcePos pos;
};

struct Step {
  enum class Kind { kHttp, kSleep, kCheck };
  Kind kind = Kind::kHttp;
  std::string name;                                // "" when not given
  SourcePos pos;
  HttpSpec http;
  ExpectSpec expect;
  std::vector<CaptureSpec> captures;
  Millis sleep{0};
  LeaksSpec check;
};

struct ReadySpec {
  std::string http;                                // URL template; "" for none
  Millis timeout{Millis(10000)};
};

struct StopSpec {
  int signal = 15;                                 // SIGTERM; written SIGTERM, TERM or 15
  Millis grace{Millis(5000)};
};

struct TargetSpec {
  std::vector<std::string> run;                    // argv templates; empty: attach mode
  std::vector<std::pair<std::string, std::string>> env;
  std::string cwd;
  ReadySpec ready;
  StopSpec stop;
  SourcePos pos;
};

struct DumpSpec {
  std::string url;                                 // template
  std::string socket;                              // template; "" for TCP
};

struct Scenario {
  std::string name;
  SourcePos pos;
  std::vector<Step> setup;
  std::vector<Step> steps;
  std::vector<Step> teardown;
  std::optional<LeaksSpec> leaks;
};

struct Suite {
  std::string file;                                // as given on the command line
  std::string name;                                // `suite:`; defaults to the file's stem
  SourcePos pos;
  TargetSpec target;
  DumpSpec dump;
  std::vector<std::pair<std::string, std::string>> vars;  // in file order; templates
  std::vector<PatternSpec> ignore;
  std::vector<Scenario> scenarios;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_SUITE_H_
