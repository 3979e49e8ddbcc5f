// Loads a scenario file (YAML, the format in product.md) into a Suite. The only code in
// leakprobe that sees yaml-cpp. LoadSuiteFile reads one file; ParseSuite does no I/O.
// Both are thread-safe (no shared state).
//
// On error the Status holds every problem found in the file, one per line, each
// `file:line:col: message` (1-based; the column counts bytes), ordered by position:
//   logs.yaml:14:9: unknown key "mehtod" (did you mean "method"?)
//   logs.yaml:22:18: bad regex "(": missing ): (
#ifndef LEAKPROBE_SCENARIOS_LOADER_H_
#define LEAKPROBE_SCENARIOS_LOADER_H_

#include <cstddef>
#include <string>
#include <vector>

#include "base/status.h"
#include "scenarios/suite.h"

namespace leakprobe {

// yaml-cpp needs ~60 bytes of memory per byte of input; larger files are refused.
constexpr size_t kMaxSuiteFileBytes = 4 << 20;

// Reads `path` and parses it with ParseSuite(text, path). Errors of the file itself:
//   ci/logs.yaml: cannot read: No such file or directory
//   ci/logs.yaml: too big: 5000000 bytes (scenario files are limited to 4 MiB)
// `extra_vars` are the names --var defines, for the undefined-variable check.
Result<Suite> LoadSuiteFile(const std::string& path, const std::vector<std::string>& extra_vars = {});

// Parses `text`; `file` is only for messages and for Suite::file, and its stem is the
// default suite name. Besides the format's own rules it reports what yaml-cpp 0.7 accepts
// silently: duplicate keys, an unterminated quote that swallows the lines after it, a
// second document. Examples of the messages:
//   f.yaml:3:5: invalid YAML: end of map flow not found
//   f.yaml:1:1: empty file: expected a map with a "scenarios" list
//   f.yaml:9:7: duplicate key "url" (first at line 5)
//   f.yaml:7:9: "steps" must be a list
//   f.yaml:12:16: "settle": bad duration "5 sec" (write e.g. 250ms, 3s, 2m)
//   f.yaml:4:5: missing key "url"
//   f.yaml:14:30: undefined variable "${cdi}" (did you mean "${cid}"?)
// Strings keep their ${var} templates. Every ${name} must be defined by then (see
// var_check.h): a built-in, a suite var, one of `extra_vars`, or a capture of an earlier step.
Result<Suite> ParseSuite(const std::string& text, const std::string& file,
                         const std::vector<std::string>& extra_vars = {});

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_LOADER_H_
