#include "harness/step_marks.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

StepMarks Marks() {
  StepMarks m;
  m.Baseline(IdSet({1, 2, 3}));
  m.After("step 1 \"create\"", IdSet({1, 2, 3, 40}));
  // Ids are handed out in batches per P: a later goroutine may have a smaller id.
  m.After("step 2 \"follow\"", IdSet({1, 2, 3, 40, 17, 52}));
  return m;
}

TEST(StepMarks, StepOfEachId) {
  const StepMarks m = Marks();
  struct {
    int64_t id;
    const char* step;
  } cases[] = {
      {2, "before the scenario"},
      {40, "step 1 \"create\""},
      {17, "step 2 \"follow\""},
      {52, "step 2 \"follow\""},
      {99, "after the last step"},
  };
  for (const auto& c : cases) EXPECT_EQ(m.StepOf(c.id), c.step) << c.id;
}

TEST(StepMarks, AnnotateAddsALineUnderEachBucketHeader) {
  const std::string detail =
      "Suspect goroutines, grouped by identical stack:\n\n"
      "2 goroutines [chan receive], ids 17, 52\n"
      "    main.(*Server).logsContainer(...)\n"
      "1 goroutine [select, 3 minutes], id 40\n"
      "    main.readLogMessages(...)\n";
  EXPECT_EQ(Marks().Annotate(detail),
            "Suspect goroutines, grouped by identical stack:\n\n"
            "2 goroutines [chan receive], ids 17, 52\n"
            "    created during step 2 \"follow\"\n"
            "    main.(*Server).logsContainer(...)\n"
            "1 goroutine [select, 3 minutes], id 40\n"
            "    created during step 1 \"create\"\n"
            "    main.readLogMessages(...)\n");
}

TEST(StepMarks, WithoutMarksNothingChanges) {
  StepMarks m;
  EXPECT_TRUE(m.empty());
  const std::string detail = "2 goroutines [chan receive], ids 17, 52\n";
  EXPECT_EQ(m.Annotate(detail), detail);
}

}  // namespace
}  // namespace leakprobe
