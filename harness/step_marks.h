// Which step created a goroutine: the first dump, of those taken after each step, that holds
// its id. (Ids alone do not tell: Go hands them to each P in batches, so a later goroutine
// may have a smaller id.) A leaked goroutine lives on, so it is in every dump after its birth.
// Pure; used by one thread.
#ifndef LEAKPROBE_HARNESS_STEP_MARKS_H_
#define LEAKPROBE_HARNESS_STEP_MARKS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "matchers/id_set.h"

namespace leakprobe {

class StepMarks {
 public:
  void Baseline(IdSet ids) { baseline_ = std::move(ids); }
  // Records the ids alive after the step `label`.
  void After(std::string label, IdSet ids) { marks_.emplace_back(std::move(label), std::move(ids)); }
  // "step 3 \"follow\"", "before the scenario" (in the baseline), or "after the last step"
  // (in no dump taken after a step).
  std::string StepOf(int64_t id) const;
  // Adds "    created during step 3 \"follow\"" under each bucket header of a leak report
  // ("2 goroutines [chan receive], ids 34, 35"); other lines stay as they are.
  std::string Annotate(const std::string& detail) const;
  bool empty() const { return marks_.empty(); }

 private:
  IdSet baseline_;
  std::vector<std::pair<std::string, IdSet>> marks_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_HARNESS_STEP_MARKS_H_
