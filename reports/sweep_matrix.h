// The sweep's results as matrices, one per swept scenario: its steps (rows) by the faults
// (columns), each cell clean, not applicable, the leak's rate per round with the functions
// that grow, or what else went wrong. Every report shows them: the console and JUnit as
// text, Markdown as a table, JSON as data, HTML as a table. Pure.
#ifndef LEAKPROBE_REPORTS_SWEEP_MATRIX_H_
#define LEAKPROBE_REPORTS_SWEEP_MATRIX_H_

#include <string>
#include <vector>

#include "reports/results.h"

namespace leakprobe {

struct SweepMatrix {
  struct Cell {
    // "", "clean", "n/a", "leak", "as written", "failed", "error"
    std::string kind;
    // "clean"; "n/a"; "+1.0/round main.(*Server).exportContainer.func1"; "as written" (it grew
    // no more than the control); "failed: ExpectationFailed"
    std::string text;
  };
  std::string suite;
  std::string scenario;
  Cell control;                     // the scenario as written; kind "" when it did not run
  std::vector<std::string> steps;   // rows, in the order the variants came
  std::vector<std::string> faults;  // columns, likewise
  std::vector<std::vector<Cell>> cells;  // [step][fault]; kind "" where no variant ran
};

// The matrices of every swept scenario of `run`, in the order they first appear.
std::vector<SweepMatrix> SweepMatrices(const RunResult& run);

// The cell one variant's result makes.
SweepMatrix::Cell SweepCellOf(const CaseResult& c);

// What grew, as a cell says it: "+1.0/round main.(*feed).produce; +0.5/round main.x". "" for none.
std::string SweepGrowthText(const std::vector<LeakGroup>& leaks);

// A plain-text table with aligned columns, headed "sweep: SUITE / SCENARIO" and the control's
// line ("  as written: clean"), for the console and JUnit's <system-out>.
std::string SweepMatrixText(const SweepMatrix& m);

// A Markdown table (with a heading line).
std::string SweepMatrixMarkdown(const SweepMatrix& m);

}  // namespace leakprobe

#endif  // LEAKPROBE_REPORTS_SWEEP_MATRIX_H_
