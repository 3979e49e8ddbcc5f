// The structured form of leaked goroutines for the JSON report: matchers' buckets ->
// reports' LeakGroup values (reports/results.h). Pure; no I/O; thread-safe.
#ifndef LEAKPROBE_HARNESS_LEAK_GROUPS_H_
#define LEAKPROBE_HARNESS_LEAK_GROUPS_H_

#include <vector>

#include "matchers/bucket.h"
#include "reports/results.h"

namespace leakprobe {

// One LeakGroup per bucket, in the buckets' order: function = NameOf(sample) (the name the
// failure message uses), count, ids, state, wait_minutes (the bucket's longest wait),
// stack ("main.(*Server).logsContainer /src/logs.go:67" per frame, innermost first; "func"
// alone when the location is unknown), created_by in the same form ("" without one).
// proven and labels come from the sample (a bucket is proven or not as a whole), and why
// from proven ("proven" or "leaked"); signature is the sample's GrowthSignature.
// created_during is left empty: the harness fills it when it knows the step.
std::vector<LeakGroup> LeakGroupsOf(const std::vector<Bucket>& buckets);

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_LEAK_GROUPS_H_
