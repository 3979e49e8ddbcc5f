// How `scan` and `diff` print buckets: the text people read and the JSON tools read.
// Pure formatting; the caller prints.
#ifndef LEAKPROBE_CLI_BUCKET_OUTPUT_H_
#define LEAKPROBE_CLI_BUCKET_OUTPUT_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "matchers/bucket.h"
#include "matchers/dump_parser.h"
#include "matchers/pattern.h"
#include "wire/dump_source.h"

namespace leakprobe {

// {"count", "state", "ids", "suspect", "wait_minutes": {"min","max"}, "locked_to_thread",
//  "leaked", "labels"? ({"key": "value"}), "frames": [{"func","package","receiver","file","line","inlined"}], "frames_elided",
//  "created_by"?}
nlohmann::json BucketJson(const Bucket& b, bool suspect);

// Dumps hold any bytes: what is not UTF-8 is replaced rather than refused.
std::string JsonText(const nlohmann::json& j);

// Compiles --suspect and --ignore flags (keyword, or regex:RE2). Error: RE2's words.
Status CompileFlags(const std::vector<std::string>& suspect_flags, const std::vector<std::string>& ignore_flags,
                    std::vector<Pattern>* suspects, std::vector<Pattern>* ignores);

// Reads `source` (ParseDumpSource's forms) into `parser` within `limits` and finishes it; a
// dump cut short puts the reason first in *warnings, then the parser's. Error: the source
// cannot be read at all.
Status ReadDumpSource(const std::string& source, const DumpLimits& limits, DumpParser* parser,
                      std::vector<std::string>* warnings);

// Prints "leakprobe: <message>" to stderr and returns kExitUsage (2).
int UsageError(const Status& status);

bool AnyMatches(const std::vector<Pattern>& patterns, const Goroutine& g);

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_BUCKET_OUTPUT_H_
