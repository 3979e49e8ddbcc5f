// pprof labels as Go prints them, read into key/value pairs and written back. Pure; no I/O;
// thread-safe.
//
// Three forms carry them:
//   {job: x, tenant: "t 0"}            Go 1.27 traceback header, after "]" (bare when the
//                                      text is only [A-Za-z0-9./_], else Go-quoted)
//   labels:{"job": "x", "t": "t 0"}    Go 1.26 traceback header, inside the brackets
//   {"job":"x", "tenant":"t 0"}        debug=1 "# labels: " line (always quoted, %q)
// Quoted text uses Go's escapes: \n \r \t \\ \" \xNN \uNNNN \UNNNNNNNN (and \a \b \f \v,
// octal \NNN, \'); \xNN may be a lone byte that is not UTF-8, kept as that byte.
#ifndef LEAKPROBE_MATCHERS_LABELS_H_
#define LEAKPROBE_MATCHERS_LABELS_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace leakprobe {

// In the order Go printed them (sorted by key).
using Labels = std::vector<std::pair<std::string, std::string>>;

// Reads `text`, which must be one whole "{...}" in any of the three forms, into `out`
// (replacing what it held). False, with `out` holding the pairs read before the damage,
// when it is not: `{job: x, tenant: "t 0` (cut off), `{job x}`.
bool ParseLabels(std::string_view text, Labels* out);

// Where the "{...}" that starts at text[0] ends: the index of its closing "}", skipping
// quoted text; npos when it does not close.
size_t LabelsEnd(std::string_view text);

// `{job: x, tenant: "t 0"}`, the way Go 1.27 prints them; "" for none.
std::string FormatLabels(const Labels& labels);

// "tenant=t 0": what a `label:` pattern is matched against, one pair at a time.
std::string LabelText(const std::pair<std::string, std::string>& label);

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_LABELS_H_
