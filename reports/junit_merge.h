// Merging JUnit files from CI shards (`leakprobe merge OUT IN...`) into one report.
//
// Each input may be any flavor leakprobe writes (a <testsuites> root, as default and ant
// write, or a single <testsuite> root, as surefire writes) or another tool's file of the same
// shapes. Suites with the same name and file -- one scenario file split over several shards --
// become one <testsuite>. The output is the default flavor and validates against
// junit-10.xsd when the inputs' testcases do. Pure; no I/O; thread-safe.
#ifndef LEAKPROBE_REPORTS_JUNIT_MERGE_H_
#define LEAKPROBE_REPORTS_JUNIT_MERGE_H_

#include <string>
#include <vector>

#include "base/status.h"

namespace leakprobe {

struct JUnitInput {
  std::string name;      // for error messages: "shard-2.xml"
  std::string contents;  // the file's bytes
};

// Returns the merged document:
//   <testsuites name="leakprobe" tests failures errors time>   (sums over the suites)
//     <testsuite name file tests failures errors skipped time timestamp hostname>
// Suites keep their order of first appearance; a suite's cases are the inputs' cases in input
// order; its counts are recounted from its <testcase> children (failure, error, skipped), its
// time is the sum, its timestamp the earliest, its properties the union (first seen first),
// its suite-level system-out/system-err concatenated. Attributes junit-10.xsd does not know
// (Ant's id and package) are dropped. Errors name the input:
//   "shard-2.xml: not XML: Start-end tags mismatch at byte 120"
//   "shard-2.xml: not a JUnit file: the root element is <html>"
Result<std::string> MergeJUnit(const std::vector<JUnitInput>& inputs);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_JUNIT_MERGE_H_
