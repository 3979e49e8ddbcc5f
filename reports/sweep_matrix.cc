#include "reports/sweep_matrix.h"

#include <algorithm>

#include "base/rate_text.h"

namespace leakprobe {

namespace {

size_t IndexOf(std::vector<std::string>* list, const std::string& item) {
  auto it = std::find(list->begin(), list->end(), item);
  if (it != list->end()) return static_cast<size_t>(it - list->begin());
  list->push_back(item);
  return list->size() - 1;
}

// Display width of UTF-8 text: code points, which is enough for names and "›".
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Pad(const std::string& s, size_t width) { return s + std::string(width - std::min(width, Width(s)), ' '); }

std::string MarkdownCell(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else out += c;
  }
  return out;
}

}  // namespace

SweepMatrix::Cell SweepCellOf(const CaseResult& c) {
  if (c.sweep && c.sweep->as_written) return {"as written", "as written"};
  switch (c.outcome) {
    case CaseResult::Outcome::kPassed: return {"clean", "clean"};
    case CaseResult::Outcome::kSkipped: return {"n/a", "n/a"};
    case CaseResult::Outcome::kError: return {"error", "error: " + c.type};
    case CaseResult::Outcome::kFailed: break;
  }
  if (c.type != "GoroutineLeak") return {"failed", "failed: " + c.type};
  std::string text = SweepGrowthText(c.leaks);
  if (text.empty()) text = c.message;  // a growth of the total, fds or threads
  return {"leak", text};
}

std::string SweepGrowthText(const std::vector<LeakGroup>& leaks) {
  std::string text;
  for (const LeakGroup& g : leaks) {
    text += (text.empty() ? "" : "; ") + FormatSignedRate(g.per_iteration) + "/round " + g.function;
  }
  return text;
}

std::vector<SweepMatrix> SweepMatrices(const RunResult& run) {
  std::vector<SweepMatrix> out;
  for (const SuiteResult& suite : run.suites) {
    for (const CaseResult& c : suite.cases) {
      if (!c.sweep) continue;
      auto it = std::find_if(out.begin(), out.end(), [&](const SweepMatrix& m) {
        return m.suite == suite.name && m.scenario == c.sweep->scenario;
      });
      if (it == out.end()) {
        out.push_back(SweepMatrix{suite.name, c.sweep->scenario, {}, {}, {}, {}});
        it = out.end() - 1;
      }
      if (c.sweep->step.empty()) {
        it->control = SweepCellOf(c);
        continue;
      }
      size_t row = IndexOf(&it->steps, c.sweep->step);
      size_t col = IndexOf(&it->faults, c.sweep->fault);
      it->cells.resize(it->steps.size());
      for (auto& r : it->cells) r.resize(it->faults.size());
      it->cells[row][col] = SweepCellOf(c);
    }
  }
  return out;
}

std::string SweepMatrixText(const SweepMatrix& m) {
  std::vector<size_t> widths(m.faults.size() + 1, 0);
  for (const std::string& s : m.steps) widths[0] = std::max(widths[0], Width(s));
  for (size_t j = 0; j < m.faults.size(); ++j) {
    widths[j + 1] = Width(m.faults[j]);
    for (const auto& row : m.cells) widths[j + 1] = std::max(widths[j + 1], Width(row[j].text));
  }
  std::string out = "sweep: " + m.suite + " / " + m.scenario + "\n";
  if (!m.control.kind.empty()) out += "  as written: " + m.control.text + "\n";
  out += "  " + Pad("", widths[0]);
  for (size_t j = 0; j < m.faults.size(); ++j) out += " | " + Pad(m.faults[j], widths[j + 1]);
  out += "\n";
  for (size_t i = 0; i < m.steps.size(); ++i) {
    out += "  " + Pad(m.steps[i], widths[0]);
    for (size_t j = 0; j < m.faults.size(); ++j) {
      out += " | " + Pad(m.cells[i][j].kind.empty() ? "-" : m.cells[i][j].text, widths[j + 1]);
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  }
  return out;
}

std::string SweepMatrixMarkdown(const SweepMatrix& m) {
  std::string out = "**sweep: " + MarkdownCell(m.suite) + " / " + MarkdownCell(m.scenario) + "**\n\n";
  if (!m.control.kind.empty()) {
    out += std::string("As written: ") + (m.control.kind == "leak" ? "\xE2\x9D\x8C " : "") +
           MarkdownCell(m.control.text) + "\n\n";
  }
  out += "| step |";
  for (const std::string& f : m.faults) out += " " + MarkdownCell(f) + " |";
  out += "\n|---|";
  for (size_t j = 0; j < m.faults.size(); ++j) out += "---|";
  out += "\n";
  for (size_t i = 0; i < m.steps.size(); ++i) {
    out += "| " + MarkdownCell(m.steps[i]) + " |";
    for (size_t j = 0; j < m.faults.size(); ++j) {
      const SweepMatrix::Cell& cell = m.cells[i][j];
      std::string text = cell.kind.empty() ? "" : MarkdownCell(cell.text);
      if (cell.kind == "leak") text = "\xE2\x9D\x8C " + text;
      out += " " + text + " |";
    }
    out += "\n";
  }
  return out;
}

}  // namespace leakprobe
