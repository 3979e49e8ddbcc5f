#include "harness/step_marks.h"

#include <re2/re2.h>

namespace leakprobe {

std::string StepMarks::StepOf(int64_t id) const {
  if (baseline_.Contains(id)) return "before the scenario";
  for (const auto& [label, ids] : marks_) {
    if (ids.Contains(id)) return label;
  }
  return "after the last step";
}

std::string StepMarks::Annotate(const std::string& detail) const {
  if (marks_.empty()) return detail;
  static const re2::RE2 kHeader(R"(^\d+ goroutines? \[[^\n]*\], ids? (\d+))");
  std::string out;
  size_t pos = 0;
  while (pos < detail.size()) {
    size_t end = detail.find('\n', pos);
    if (end == std::string::npos) end = detail.size();
    std::string line = detail.substr(pos, end - pos);
    out += line;
    if (end < detail.size()) out += '\n';
    int64_t first_id;
    if (RE2::PartialMatch(line, kHeader, &first_id)) out += "    created during " + StepOf(first_id) + "\n";
    pos = end + 1;
  }
  return out;
}

}  // namespace leakprobe
