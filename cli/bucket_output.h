// How `scan` and `diff` print buckets: the JSON tools read (the text people read is
// FormatBucket, matchers/bucket.h). Pure formatting; the caller prints; thread-safe.
#ifndef LEAKPROBE_CLI_BUCKET_OUTPUT_H_
#define LEAKPROBE_CLI_BUCKET_OUTPUT_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "matchers/bucket.h"

namespace leakprobe {

// {"count", "state", "ids", "suspect", "wait_minutes": {"min","max"}, "locked_to_thread",
//  "leaked", "labels"? ({"key": "value"}), "frames": [{"func","package","receiver","file","line","inlined"}], "frames_elided",
//  "created_by"?}
nlohmann::json BucketJson(const Bucket& b, bool suspect);

// Dumps hold any bytes: what is not UTF-8 is replaced rather than refused.
std::string JsonText(const nlohmann::json& j);

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_BUCKET_OUTPUT_H_
