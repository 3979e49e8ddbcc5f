// What `scan` and `diff` read and how they are told what to look for: a dump from a source
// (a file, -, an http(s) URL, unix:PATH:URL, gops://), and the --suspect/--ignore/--min-wait
// flags as the rules of matchers/triage.h. Does I/O (reads the dump; UsageError prints).
#ifndef LEAKPROBE_CLI_DUMP_INPUT_H_
#define LEAKPROBE_CLI_DUMP_INPUT_H_

#include <string>
#include <vector>

#include "base/status.h"
#include "matchers/dump_parser.h"
#include "matchers/triage.h"
#include "wire/dump_source.h"

namespace leakprobe {

// The rules of --suspect and --ignore (each a keyword, or regex:RE2), --min-wait, and
// whether the built-in ignore list applies (it does unless --no-builtin-ignores).
// Error: RE2's words about a bad regex.
Result<LeakRules> RulesFromFlags(const std::vector<std::string>& suspect_flags,
                                 const std::vector<std::string>& ignore_flags, int min_wait_minutes,
                                 bool builtin_ignores);

// Reads `source` (ParseDumpSource's forms) into `parser` within `limits` and finishes it; a
// dump cut short puts the reason first in *warnings, then the parser's. Error: the source
// cannot be read at all.
Status ReadDumpSource(const std::string& source, const DumpLimits& limits, DumpParser* parser,
                      std::vector<std::string>* warnings);

// Prints "leakprobe: <message>" to stderr and returns kExitUsage (2).
int UsageError(const Status& status);

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_DUMP_INPUT_H_
