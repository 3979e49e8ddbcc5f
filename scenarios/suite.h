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
#include "scenarios/grpc_spec.h"
#include "scenarios/hang_up.h"
#include "scenarios/websocket_spec.h"

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
// `- top: "main.(*Monitor).loop"`, `- created_by: ...`, `- state: ...`, `- file: ...`,
// `- label: "tenant=t 1"` (a pprof label as key=value).
// For top/created_by/state/file/label a value "regex:..." is a regex, anything else a keyword.
struct PatternSpec {
  std::string where = "any";  // any | top | created_by | state | file | label
  bool is_regex = false;
  std::string text;
  std::optional<int> max;     // `- keyword: X, max: 2`: at most this many suspects of this pattern
  // An ignore entry's `reason: "https://github.com/acme/app/issues/12"`: what it matches is a
  // known leak, never a failure but always reported. "" for a plain ignore entry.
  std::string reason;
  SourcePos pos;
};

// A `leaks:` block (or a `check:` step).
struct LeaksSpec {
  std::vector<PatternSpec> suspects;
  std::vector<PatternSpec> ignore;           // added to the suite's and the built-in ignores
  std::optional<int> max_new_goroutines;     // goroutines created since the baseline, alive, not ignored
  std::optional<int> max_suspects;           // default 0: any suspect is a leak
  Millis settle{Millis(5000)};               // re-dump with backoff until clean or this long
  int min_wait_minutes = 0;                  // `min_wait: 5m`: younger waits are not counted
  std::string against;                       // `against: NAME`: a snapshot instead of the baseline
  int max_proven = 0;                        // goroutines the Go runtime proved leaked, allowed
  SourcePos pos;
};

struct HttpSpec {
  std::string method = "GET";
  std::string url;                                 // template
  std::vector<std::pair<std::string, std::string>> headers;  // templates
  std::optional<std::string> body;                 // template
  std::optional<nlohmann::json> json;              // string leaves are templates
  std::string body_file;                           // template: a file whose bytes are the body
  std::string socket;                              // unix socket path (template); empty: TCP
  std::optional<Millis> disconnect_after;          // planned hang-up: success, keeps what arrived
  std::optional<HangUpSpec> hang_up;               // `hang_up:`; disconnect_after D is {after: D, how: close}
  Millis timeout{Millis(30000)};                   // expiry is a step failure
  bool insecure = false;                           // https: accept any certificate (self-signed test servers)
  size_t max_body = 4 << 20;                       // bytes kept of a (streaming) body; the rest is only counted
  std::optional<UpgradeSpec> upgrade;              // `upgrade: tcp`: the connection turns into a raw stream
};

// `exec: { run: [pouch, run, -d, busybox], env: {...}, cwd: x, timeout: 30s }`, or with
// `shell: true` a one-string `run: "a | b"` for /bin/sh -c.
struct ExecSpec {
  std::vector<std::string> run;                    // argv templates; with shell, one command line
  bool shell = false;
  std::vector<std::pair<std::string, std::string>> env;  // templates, added to leakprobe's own
  std::string cwd;                                 // template; "" for leakprobe's
  Millis timeout{Millis(60000)};                   // then SIGKILL to its group; a step error
};

// What a step's result must show. For an exec step the "body" is its stdout.
struct ExpectSpec {
  std::vector<int> status;                         // http: any of these; empty: not checked
  std::optional<int> exit_code;                    // exec: default 0
  std::vector<std::pair<std::string, std::string>> headers;  // name -> exact value (template)
  std::vector<std::string> body_contains;          // templates
  std::vector<std::string> body_regex;             // RE2, checked at load (not templates)
  std::vector<std::pair<std::string, nlohmann::json>> json;  // JSON pointer -> value (string leaves are templates)
  std::optional<long long> min_bytes;              // at least this many body bytes arrived
  std::optional<long long> min_lines;              // at least this many lines ("\n"-ended or last)
  std::optional<long long> min_messages;           // websocket `messages: {min: N}`: at least N received
};

struct CaptureSpec {
  enum class From { kJson, kRegex, kHeader, kStdout };
  std::string name;
  From from = From::kJson;
  std::string json_pointer;                        // "/Id"
  std::string regex;                               // RE2 with a group; the first group is kept
  std::string header;                              // a response header's value
  SourcePos pos;
};

// `growth:` on a repeat: fit each stack's count (and the target's fds and threads) against
// the iterations; a leak is what climbs with them and is still there after `settle`.
struct GrowthSpec {
  double max_per_iteration = 0.5;   // the most goroutines one stack may gain per iteration
  Millis settle{Millis(3000)};      // a growth must still be there this long after the last iteration
  bool fds = true;                  // also the target's open fds and threads, when its pid is known
  SourcePos pos;
};

struct Step {
  enum class Kind { kHttp, kSleep, kCheck, kExec, kWaitUntil, kRepeat, kParallel, kSnapshot, kWebSocket, kGrpc };
  Kind kind = Kind::kHttp;
  std::string name;                                // "" when not given
  SourcePos pos;
  HttpSpec http;
  WebSocketSpec websocket;
  ExecSpec exec;
  GrpcSpec grpc;                                   // kGrpc, with its own expect and captures
  ExpectSpec expect;
  std::vector<CaptureSpec> captures;
  Millis sleep{0};
  LeaksSpec check;
  std::string snapshot;                            // kSnapshot: its name
  std::vector<Step> steps;                         // kWaitUntil, kRepeat: run in order; kParallel: at once
  Millis interval{Millis(500)};                    // kWaitUntil: pause between attempts
  Millis timeout{Millis(30000)};                   // kWaitUntil: give up (a failure) after this
  int times = 1;                                   // kRepeat
  int concurrency = 1;                             // kRepeat: iterations at once
  std::optional<GrowthSpec> growth;                // kRepeat: a dump after every round, and a fit
};

// How to tell the target is up; at most one probe kind. None: the dump URL answering.
struct ReadySpec {
  std::string http;                                // URL template: answers 2xx/3xx
  std::string tcp;                                 // "127.0.0.1:${port}": accepts a connection
  std::string unix_socket;                         // `unix: /run/d.sock`: accepts a connection
  std::string log;                                 // RE2 on the target's stdout+stderr lines
  std::string capture;                             // with log: variable set to its first group
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
  bool shared = false;                             // `shared: true`: one target for every scenario
  // In attach mode, where leakprobe did not start the target: its pid, for growth's fds and
  // threads. `pid: 4711` or `pid_file: /run/d.pid` (templates, read when first needed).
  std::string pid;
  std::string pid_file;
  SourcePos pos;
};

// How much of one dump leakprobe reads before it stops, warns and judges what it read: Go
// itself cuts debug=2 at 64 MB, so more means an endless or broken endpoint.
constexpr uint64_t kDefaultDumpMaxBytes = uint64_t(256) << 20;
constexpr Millis kDefaultDumpTimeout{60000};

// Whether leakprobe also reads the Go runtime's goroutineleak profile (Go 1.26 with its
// experiment, Go 1.27+) beside dump.url: kAuto when the target serves it, kOn insists.
enum class LeakProfileMode { kAuto, kOn, kOff };

// What the polls of a settle loop or a growth check read: kAuto per-stack counts
// (`debug=1`) where the target serves them, with a full dump only where a verdict needs ids
// (harness/count_polls.h); kFull a full dump every time, as before.
enum class DumpPollMode { kAuto, kFull };

// Where dumps come from: HTTP (url, over `socket` when set), a gops agent, or the target's
// own SIGQUIT trace (one dump, at the leak check, ending the target).
struct DumpSpec {
  std::string url;                                 // template
  std::string socket;                              // template; "" for TCP
  std::string gops;                                // "127.0.0.1:${port.gops}": a gops agent
  bool sigquit = false;
  uint64_t max_bytes = kDefaultDumpMaxBytes;       // `max_bytes: 64MiB`: one dump's cap
  Millis timeout = kDefaultDumpTimeout;            // one whole dump's deadline (not per read)
  LeakProfileMode leak_profile = LeakProfileMode::kAuto;
  DumpPollMode poll = DumpPollMode::kAuto;         // `poll: full`: a full dump at every poll
};

// `sweep:` on a suite or a scenario (and `leakprobe run --sweep`, whose flags win): for every
// request step and every fault, a variant of the scenario in which that one step ends with
// that fault, repeated `times` rounds with the growth fit (harness/sweep_plan.h).
struct SweepSpec {
  std::vector<HangUpSpec> faults;  // empty: the default set (DefaultSweepFaults)
  std::string steps;               // RE2 on the step's label; "" for every request step
  std::optional<int> times;        // rounds per variant; default 5
  std::optional<bool> all;         // also the steps that capture (their captures feed later steps)
  SourcePos pos;
};

// What a sweep variant is a variant of: set by the sweep's plan, copied into its result.
struct SweepVariantOf {
  std::string scenario;            // the scenario swept: "lifecycle"
  std::string step;                // "step 3 (GET ${api}/containers/${cid}/logs)"
  std::string fault;               // "reset at body"
  int rounds = 0;
};

struct Scenario {
  std::string name;
  SourcePos pos;
  std::vector<Step> setup;
  std::vector<Step> steps;
  std::vector<Step> teardown;
  std::optional<LeaksSpec> leaks;
  std::optional<SweepSpec> sweep;                  // `sweep:`: this scenario is swept
  std::optional<SweepVariantOf> variant_of;        // set on the variants a sweep made
};

struct Suite {
  std::string file;                                // as given on the command line
  std::string name;                                // `suite:`; defaults to the file's stem
  SourcePos pos;
  TargetSpec target;
  DumpSpec dump;
  std::vector<std::pair<std::string, std::string>> vars;  // in file order; templates
  std::vector<PatternSpec> ignore;
  std::vector<Step> setup;                         // once, before the first scenario
  std::vector<Step> teardown;                      // once, after the last; always runs
  std::vector<Scenario> scenarios;
  std::optional<SweepSpec> sweep;                  // `sweep:`: every scenario is swept
};

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_SUITE_H_
