#include "scenarios/schema.h"

namespace leakprobe {

namespace {

// Kept in step with the readers (suite_reader.cc, step_reader.cc, leaks_reader.cc):
// tests/e2e/test_steps_schema.py checks every example file against it, and the loader
// tests check that what the schema shows loads.
constexpr const char kScenarioJsonSchema[] = R"json(
{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "$id": "https://leakprobe.dev/schema/scenario.json",
  "title": "leakprobe scenario file",
  "description": "One file is one suite: a target, its dump, and scenarios whose steps drive it.",
  "type": "object",
  "additionalProperties": false,
  "required": ["scenarios"],
  "properties": {
    "suite": {"type": "string", "minLength": 1, "description": "The suite's name (default: the file's stem)."},
    "target": {"$ref": "#/definitions/target"},
    "dump": {"$ref": "#/definitions/dump"},
    "vars": {
      "type": "object",
      "description": "Variables, written ${name} anywhere; --var overrides them.",
      "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"},
      "additionalProperties": {"$ref": "#/definitions/scalar"}
    },
    "ignore": {"$ref": "#/definitions/patterns", "description": "Added to the built-in ignore list for every check."},
    "setup": {"$ref": "#/definitions/steps", "description": "Runs once, before the first scenario."},
    "teardown": {"$ref": "#/definitions/steps", "description": "Runs once, after the last scenario; always."},
    "scenarios": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/scenario"}},
    "sweep": {"$ref": "#/definitions/sweep"}
  },
  "definitions": {
    "scalar": {"type": ["string", "number", "boolean"]},
    "template": {"type": "string", "description": "Text with ${name} variables."},
    "duration": {
      "description": "250ms, 3s, 2m, 1h, 1m30s, 1.5s or 0.",
      "anyOf": [
        {"type": "string", "pattern": "^\\s*(0|([0-9]+(\\.[0-9]+)?(ms|s|m|h))+)\\s*$"},
        {"const": 0}
      ]
    },
    "scalarMap": {"type": "object", "additionalProperties": {"$ref": "#/definitions/scalar"}},
    "argv": {"type": "array", "minItems": 1, "items": {"$ref": "#/definitions/scalar"}},
    "target": {
      "type": "object",
      "additionalProperties": false,
      "description": "How to start the server. Without run: attach mode (the server is already running).",
      "properties": {
        "run": {"$ref": "#/definitions/argv", "description": "argv, no shell"},
        "env": {"$ref": "#/definitions/scalarMap"},
        "cwd": {"$ref": "#/definitions/template"},
        "ready": {"$ref": "#/definitions/ready"},
        "stop": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "signal": {"type": ["string", "integer"], "default": "SIGTERM", "description": "SIGTERM, SIGINT, SIGKILL, SIGQUIT, SIGHUP, SIGUSR1, SIGUSR2 or a number"},
            "grace": {"$ref": "#/definitions/duration", "default": "5s", "description": "How long to wait after the signal before SIGKILL to the whole process group."}
          }
        },
        "shared": {"type": "boolean", "default": false, "description": "One target for every scenario of the file (default: a fresh one each)."},
        "pid": {"type": ["string", "integer"], "description": "Attach mode: the target's pid, for growth's open fds and threads (a template)."},
        "pid_file": {"$ref": "#/definitions/template", "description": "Attach mode: a file holding the target's pid."}
      }
    },
    "ready": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "http": {"$ref": "#/definitions/template", "description": "A URL that must answer 2xx/3xx."},
        "tcp": {"$ref": "#/definitions/template", "description": "host:port that must accept a connection."},
        "unix": {"$ref": "#/definitions/template", "description": "A unix socket that must accept a connection."},
        "log": {"type": "string", "description": "RE2 on the target's output lines."},
        "capture": {"type": "string", "description": "With log: a variable set to the regex's first group."},
        "timeout": {"$ref": "#/definitions/duration", "default": "10s", "description": "The target must be ready by then."}
      },
      "not": {"anyOf": [
        {"required": ["http", "tcp"]}, {"required": ["http", "unix"]}, {"required": ["http", "log"]},
        {"required": ["tcp", "unix"]}, {"required": ["tcp", "log"]}, {"required": ["unix", "log"]}
      ]}
    },
    "dump": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "url": {"$ref": "#/definitions/template"},
        "socket": {"$ref": "#/definitions/template", "description": "HTTP over this unix socket."},
        "gops": {"$ref": "#/definitions/template", "description": "host:port of a gops agent; its stack dump."},
        "sigquit": {"type": "boolean", "default": false, "description": "One dump at the leak check: SIGQUIT and the target's trace."},
        "max_bytes": {"anyOf": [{"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)? ?(B|KiB|MiB|GiB|k|K|M|G|KB|kB|MB|GB)?$"}, {"type": "integer", "minimum": 1}],
                      "description": "Stop reading one dump at this size (256MiB, 64MB, 4096), warn, and judge what was read.", "default": "256MiB"},
        "timeout": {"$ref": "#/definitions/duration", "description": "Stop reading one dump after this long, warn, and judge what was read.", "default": "1m"},
        "leak_profile": {"type": ["string", "boolean"], "enum": ["auto", "on", "off", true, false], "default": "auto",
                         "description": "Also read the Go runtime's goroutineleak profile beside url (Go 1.26 with its experiment, 1.27+): auto when the target serves it, on insists, off never."},
        "poll": {"type": "string", "enum": ["auto", "full"], "default": "auto",
                 "description": "What settle polls and growth iterations read: auto per-stack counts (debug=1) where served, a full dump only where a verdict needs ids; full a full dump every time."}
      }
    },
    "pattern": {
      "type": "object",
      "minProperties": 1,
      "maxProperties": 2,
      "additionalProperties": false,
      "properties": {
        "keyword": {"type": "string", "minLength": 1, "description": "A substring of any frame's function."},
        "regex": {"type": "string", "minLength": 1, "description": "RE2 on any frame's function."},
        "top": {"type": "string", "minLength": 1, "description": "The top frame; regex:... for RE2."},
        "created_by": {"type": "string", "minLength": 1},
        "state": {"type": "string", "minLength": 1},
        "file": {"type": "string", "minLength": 1},
        "label": {"type": "string", "minLength": 1, "description": "A pprof label as key=value (\"tenant=t 1\"); regex:... for RE2."},
        "reason": {"type": "string", "minLength": 1, "description": "Why this is ignored (a sentence or an issue URL): what it matches is a known leak, never a failure, listed in every report."}
      },
      "anyOf": [
        {"required": ["keyword"]}, {"required": ["regex"]}, {"required": ["top"]},
        {"required": ["created_by"]}, {"required": ["state"]}, {"required": ["file"]},
        {"required": ["label"]}
      ]
    },
    "patterns": {"type": "array", "items": {"$ref": "#/definitions/pattern"}},
    "suspect": {
      "type": "object",
      "minProperties": 1,
      "maxProperties": 2,
      "additionalProperties": false,
      "properties": {
        "keyword": {"type": "string", "minLength": 1},
        "regex": {"type": "string", "minLength": 1},
        "top": {"type": "string", "minLength": 1},
        "created_by": {"type": "string", "minLength": 1},
        "state": {"type": "string", "minLength": 1},
        "file": {"type": "string", "minLength": 1},
        "label": {"type": "string", "minLength": 1},
        "max": {"type": "integer", "minimum": 0, "description": "At most this many suspects of this pattern."}
      },
      "anyOf": [
        {"required": ["keyword"]}, {"required": ["regex"]}, {"required": ["top"]},
        {"required": ["created_by"]}, {"required": ["state"]}, {"required": ["file"]},
        {"required": ["label"]}
      ]
    },
    "leaks": {
      "type": ["object", "null"],
      "additionalProperties": false,
      "properties": {
        "suspects": {"type": "array", "items": {"$ref": "#/definitions/suspect"}},
        "ignore": {"$ref": "#/definitions/patterns"},
        "max_new_goroutines": {"type": "integer", "minimum": 0},
        "max_suspects": {"type": "integer", "minimum": 0, "default": 0, "description": "At most this many suspects of the patterns without their own max."},
        "settle": {"$ref": "#/definitions/duration", "default": "5s", "description": "Re-dump with backoff until the rules hold or this long has passed."},
        "min_wait": {"$ref": "#/definitions/duration", "default": 0, "description": "Whole minutes: younger waits are not counted."},
        "against": {"type": "string", "default": "baseline", "description": "A snapshot's name instead of the baseline."},
        "max_proven": {"type": "integer", "minimum": 0, "default": 0, "description": "Goroutines the Go runtime proves leaked that are allowed."}
      }
    },
    "scenario": {
      "type": "object",
      "additionalProperties": false,
      "required": ["name"],
      "properties": {
        "name": {"$ref": "#/definitions/scalar"},
        "setup": {"$ref": "#/definitions/steps"},
        "steps": {"$ref": "#/definitions/steps"},
        "teardown": {"$ref": "#/definitions/steps", "description": "Always runs, after the leaks check."},
        "leaks": {"$ref": "#/definitions/leaks"},
        "sweep": {"$ref": "#/definitions/sweep"}
      }
    },
    "steps": {"type": "array", "items": {"$ref": "#/definitions/step"}},
    "sweep": {
      "type": "object",
      "additionalProperties": false,
      "description": "Sweep this suite's (or scenario's) request steps: for every step and fault a variant that ends that step with that fault, repeated with the growth fit. leakprobe run --sweep and its flags do the same and win.",
      "properties": {
        "faults": {"type": "array", "items": {"type": "string", "pattern": "^(close|reset|stall( [0-9]+(ms|s|m))?|half_close) (at (sent|status|body)|after [0-9]+(ms|s|m))$"}, "description": "Default: close at sent, close at status, reset at body, stall 2s at status."},
        "steps": {"type": "string", "description": "An RE2 on the step's label (step 3 \"logs\", step 2 (GET ...)): only these steps are swept."},
        "times": {"type": "integer", "minimum": 2, "maximum": 1000, "description": "Rounds per variant (default 5)."},
        "all": {"type": "boolean", "description": "Also sweep the steps that capture (default false)."}
      }
    },
    "growth": {
      "description": "A dump before the first iteration and after each round; a stack that gains more than max_per_iteration per iteration, and is still there after settle, is a leak. true: the defaults.",
      "anyOf": [
        {"type": "boolean"},
        {
          "type": ["object", "null"],
          "additionalProperties": false,
          "properties": {
            "max_per_iteration": {"type": "number", "minimum": 0, "default": 0.5, "description": "The most goroutines one stack may gain per iteration."},
            "settle": {"$ref": "#/definitions/duration", "default": "3s", "description": "A growth must still be there this long after the last iteration."},
            "fds": {"type": "boolean", "default": true, "description": "Also the target's open fds and threads, when its pid is known."}
          }
        }
      ]
    },
    "http": {
      "type": "object",
      "additionalProperties": false,
      "required": ["url"],
      "properties": {
        "method": {"type": "string", "pattern": "^[A-Za-z]+$", "default": "GET", "description": "The HTTP method, sent upper-cased."},
        "url": {"$ref": "#/definitions/template"},
        "headers": {"$ref": "#/definitions/scalarMap"},
        "body": {"$ref": "#/definitions/scalar"},
        "json": {"description": "A JSON body; string leaves are templates."},
        "body_file": {"$ref": "#/definitions/template"},
        "socket": {"$ref": "#/definitions/template", "description": "A unix socket (Host: localhost is sent)."},
        "disconnect_after": {"$ref": "#/definitions/duration", "description": "A planned hang-up: the step succeeds. The short form of hang_up: {after: D}."},
        "hang_up": {"$ref": "#/definitions/hangUp"},
        "timeout": {"$ref": "#/definitions/duration", "default": "30s", "description": "No complete response by then: the step fails."},
        "insecure": {"type": "boolean", "default": false, "description": "https: skip certificate verification."},
        "max_body": {"type": "integer", "minimum": 0, "default": 4194304, "description": "Bytes of the body kept; the rest is counted."},
        "upgrade": {"type": "string", "pattern": "^[!#$%&'*+.^_`|~/0-9A-Za-z-]+$", "description": "Connection: Upgrade with this token (tcp): the connection becomes a raw stream."},
        "send": {"type": "array", "items": {"$ref": "#/definitions/streamSend"}, "description": "With upgrade: bytes written to the stream, in order."},
        "close_stdin": {"type": "boolean", "default": false, "description": "With upgrade: half-close (shutdown SHUT_WR) after the last send."},
        "read_for": {"$ref": "#/definitions/duration", "description": "With upgrade: read this long after the sends, then close."},
        "demux": {"type": "string", "enum": ["auto", "docker", "none"], "default": "auto", "description": "With upgrade: undo Docker's stdout/stderr frames; auto: when the Content-Type says so."}
      },
      "not": {"anyOf": [
        {"required": ["body", "json"]}, {"required": ["body", "body_file"]}, {"required": ["json", "body_file"]}
      ]}
    },
    "hangUp": {
      "type": "object",
      "additionalProperties": false,
      "description": "When and how the client leaves: exactly one of after, at, messages.",
      "properties": {
        "after": {"$ref": "#/definitions/duration", "description": "This long after the request was sent."},
        "at": {"type": "string", "enum": ["sent", "status", "body"], "description": "A moment of the exchange."},
        "messages": {"type": "integer", "minimum": 1, "description": "websocket: after this many messages arrived."},
        "how": {"type": "string", "enum": ["close", "reset", "stall", "half_close", "close_frame"], "default": "close", "description": "close: FIN; reset: RST; stall: stop reading; half_close: shut the write side; close_frame: websocket's closing handshake."},
        "stall_for": {"$ref": "#/definitions/duration", "default": "5s", "description": "With how: stall, how long nothing is read before the close."}
      }
    },
    "streamSend": {"anyOf": [
      {"$ref": "#/definitions/scalar"},
      {
        "type": "object",
        "additionalProperties": false,
        "properties": {
          "text": {"$ref": "#/definitions/scalar", "description": "Bytes (a template); on a websocket a text message."},
          "binary": {"$ref": "#/definitions/scalar", "description": "websocket: a binary message (a template)."},
          "after": {"$ref": "#/definitions/duration", "default": 0, "description": "Read this long first, then send."}
        }
      }
    ]},
    "websocket": {
      "type": "object",
      "additionalProperties": false,
      "required": ["url"],
      "properties": {
        "url": {"$ref": "#/definitions/template", "description": "ws:// or wss://; with socket, also /path."},
        "socket": {"$ref": "#/definitions/template", "description": "A unix socket (Host: localhost is sent)."},
        "headers": {"$ref": "#/definitions/scalarMap"},
        "subprotocols": {"$ref": "#/definitions/stringOrList", "description": "Sent as Sec-WebSocket-Protocol."},
        "send": {"type": "array", "items": {"$ref": "#/definitions/streamSend"}, "description": "Messages sent in order."},
        "read_for": {"$ref": "#/definitions/duration", "default": 0, "description": "Without hang_up: read this long after the sends, then a close frame."},
        "hang_up": {"$ref": "#/definitions/hangUp"},
        "timeout": {"$ref": "#/definitions/duration", "default": "30s", "description": "The exchange not over by then: the step fails."},
        "insecure": {"type": "boolean", "default": false, "description": "wss: skip certificate verification."},
        "max_messages": {"type": "integer", "minimum": 0, "default": 10000, "description": "Messages kept; the rest are counted."}
      }
    },
    "grpc": {
      "type": "object",
      "additionalProperties": false,
      "required": ["method"],
      "properties": {
        "target": {"$ref": "#/definitions/template", "description": "host:port of the gRPC server (h2c)."},
        "socket": {"$ref": "#/definitions/template", "description": "A unix socket instead of target."},
        "tls": {"type": "boolean", "default": false, "description": "TLS with ALPN h2; false: plaintext h2c."},
        "insecure": {"type": "boolean", "default": false, "description": "With tls: accept any certificate."},
        "method": {"type": "string", "pattern": "^/?[^/]+/[^/]+$", "description": "package.Service/Method"},
        "metadata": {"$ref": "#/definitions/scalarMap"},
        "timeout": {"$ref": "#/definitions/duration", "default": "30s", "description": "The whole call; then the step fails."},
        "message": {"description": "The request message through the protobuf JSON mapping; strings are templates."},
        "messages": {"type": "array", "items": {"type": "object"}, "description": "Request messages, and {pause: D} between them."},
        "hang_up": {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "after": {"$ref": "#/definitions/duration", "description": "Leave this long after the call started."},
            "at": {"type": "string", "enum": ["sent", "status", "body"], "description": "Leave at this moment of the call."},
            "messages": {"type": "integer", "minimum": 1, "description": "Leave after this many messages arrived."},
            "how": {"type": "string", "enum": ["close", "reset", "stall", "cancel", "keep_open"], "default": "close", "description": "How to leave."},
            "stall_for": {"$ref": "#/definitions/duration", "default": "5s", "description": "how: stall: how long to stop reading."}
          }
        },
        "protos": {"$ref": "#/definitions/stringOrList", "description": ".proto files parsed when the file loads."},
        "import_paths": {"$ref": "#/definitions/stringOrList", "description": "Folders where imports are found."}
      },
      "not": {"anyOf": [{"required": ["target", "socket"]}, {"required": ["message", "messages"]}]}
    },
    "exec": {
      "type": "object",
      "additionalProperties": false,
      "required": ["run"],
      "properties": {
        "run": {"anyOf": [{"$ref": "#/definitions/argv"}, {"type": "string"}],
                "description": "argv; a string only with shell: true"},
        "shell": {"type": "boolean", "default": false, "description": "Run the one-string run with /bin/sh -c."},
        "env": {"$ref": "#/definitions/scalarMap"},
        "cwd": {"$ref": "#/definitions/template"},
        "timeout": {"$ref": "#/definitions/duration", "default": "60s", "description": "Then SIGKILL to its process group; the step fails."}
      }
    },
    "stringOrList": {"anyOf": [{"$ref": "#/definitions/scalar"}, {"type": "array", "items": {"$ref": "#/definitions/scalar"}}]},
    "expect": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "status": {"anyOf": [
          {"type": "integer", "minimum": 100, "maximum": 599},
          {"type": "array", "items": {"type": "integer", "minimum": 100, "maximum": 599}}
        ]},
        "exit_code": {"type": "integer", "minimum": 0, "maximum": 255, "default": 0, "description": "exec: the exit code the command must end with."},
        "headers": {"$ref": "#/definitions/scalarMap"},
        "body_contains": {"$ref": "#/definitions/stringOrList"},
        "body_regex": {"$ref": "#/definitions/stringOrList"},
        "json": {"type": "object", "propertyNames": {"pattern": "^(/.*)?$"}, "description": "JSON pointer -> expected value"},
        "min_bytes": {"type": "integer", "minimum": 0},
        "min_lines": {"type": "integer", "minimum": 0},
        "output": {
          "type": "object",
          "additionalProperties": false,
          "description": "http with upgrade: the stream's bytes.",
          "properties": {
            "contains": {"$ref": "#/definitions/stringOrList"},
            "regex": {"$ref": "#/definitions/stringOrList"},
            "min_bytes": {"type": "integer", "minimum": 0}
          }
        },
        "messages": {
          "type": "object",
          "additionalProperties": false,
          "description": "websocket: the messages received.",
          "properties": {
            "min": {"type": "integer", "minimum": 0},
            "contains": {"$ref": "#/definitions/stringOrList"},
            "regex": {"$ref": "#/definitions/stringOrList"},
            "json": {"type": "object", "propertyNames": {"pattern": "^(/.*)?$"}, "description": "JSON pointer -> expected value, in any message"}
          }
        },
        "code": {"type": ["string", "integer"], "description": "grpc: OK, CANCELLED, ... or a number."},
        "min_messages": {"type": "integer", "minimum": 0},
        "max_messages": {"type": "integer", "minimum": 0},
        "first_json": {"type": "object", "propertyNames": {"pattern": "^(/.*)?$"}, "description": "grpc: JSON pointer -> value in the first message"}
      }
    },
    "capture": {
      "type": "object",
      "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"},
      "additionalProperties": {
        "type": "object",
        "minProperties": 1,
        "maxProperties": 2,
        "additionalProperties": false,
        "properties": {
          "json": {"type": "string", "pattern": "^(/.*)?$"},
          "from": {"type": "string", "enum": ["first", "last"], "default": "last", "description": "grpc: the message to capture from."},
          "regex": {"type": "string"},
          "header": {"type": "string", "minLength": 1},
          "stdout": {"const": true}
        }
      }
    },
    "step": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "name": {"$ref": "#/definitions/scalar"},
        "http": {"$ref": "#/definitions/http"},
        "websocket": {"$ref": "#/definitions/websocket"},
        "exec": {"$ref": "#/definitions/exec"},
        "grpc": {"$ref": "#/definitions/grpc"},
        "sleep": {"$ref": "#/definitions/duration"},
        "check": {"$ref": "#/definitions/leaks"},
        "snapshot": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_-]*$"},
        "wait_until": {
          "type": "object",
          "additionalProperties": false,
          "required": ["steps"],
          "properties": {
            "steps": {"$ref": "#/definitions/steps"},
            "interval": {"$ref": "#/definitions/duration", "default": "500ms", "description": "The pause between attempts."},
            "timeout": {"$ref": "#/definitions/duration", "default": "30s", "description": "Give up (a failure) after this long."}
          }
        },
        "repeat": {"anyOf": [
          {"type": "integer", "minimum": 1, "maximum": 1000000,
           "description": "The short form: how many times, with steps: (and concurrency:) beside it in the step."},
          {
            "type": "object",
            "additionalProperties": false,
            "required": ["times", "steps"],
            "properties": {
              "growth": {"$ref": "#/definitions/growth"},
              "times": {"type": "integer", "minimum": 1, "maximum": 1000000},
              "concurrency": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1, "description": "Iterations run at once."},
              "steps": {"$ref": "#/definitions/steps"}
            }
          }
        ]},
        "steps": {"$ref": "#/definitions/steps", "description": "With repeat: N (its short form): the steps to repeat."},
        "concurrency": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 1, "description": "With repeat: N: iterations at once."},
        "growth": {"$ref": "#/definitions/growth", "description": "With repeat: N: fit every stack's count against the iterations."},
        "parallel": {"$ref": "#/definitions/steps"},
        "expect": {"$ref": "#/definitions/expect"},
        "capture": {"$ref": "#/definitions/capture"}
      },
      "oneOf": [
        {"required": ["http"]}, {"required": ["exec"]}, {"required": ["grpc"]}, {"required": ["sleep"]},
        {"required": ["check"]}, {"required": ["snapshot"]}, {"required": ["wait_until"]},
        {"required": ["repeat"]}, {"required": ["parallel"]}, {"required": ["websocket"]}
      ],
      "allOf": [
        {"if": {"properties": {"repeat": {"type": "integer"}}, "required": ["repeat"]},
         "then": {"required": ["steps"]}},
        {"if": {"anyOf": [{"required": ["steps"]}, {"required": ["concurrency"]}, {"required": ["growth"]}]},
         "then": {"required": ["repeat"], "properties": {"repeat": {"type": "integer"}}}}
      ]
    }
  }
}
)json";

}  // namespace

const char* ScenarioJsonSchema() { return kScenarioJsonSchema; }

}  // namespace leakprobe
