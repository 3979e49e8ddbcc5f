#include "scenarios/error_list.h"

#include <algorithm>
#include <unordered_set>

#include "scenarios/template.h"

namespace leakprobe {

void ErrorList::Add(const YAML::Mark& mark, const std::string& message) {
  SourcePos pos = Pos(mark);
  AddAt(pos.line, pos.col, message);
}

void ErrorList::AddAt(int line, int col, const std::string& message) {
  entries_.push_back({line, col, message});
}

SourcePos ErrorList::Pos(const YAML::Mark& mark) const {
  SourcePos pos;
  pos.file = file_;
  pos.line = mark.line >= 0 ? mark.line + 1 : 1;
  pos.col = mark.column >= 0 ? mark.column + 1 : 1;
  return pos;
}

void ErrorList::UseVars(std::string_view text, const YAML::Mark& mark) {
  if (!var_check) return;
  SourcePos pos = Pos(mark);
  var_check->Use(text, pos.line, pos.col);
}

std::string ErrorList::ToString() const {
  std::vector<const Entry*> sorted;
  for (const Entry& e : entries_) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) {
    return a->line != b->line ? a->line < b->line : a->col < b->col;
  });
  std::string out;
  std::unordered_set<std::string> seen;
  for (const Entry* e : sorted) {
    std::string line = file_ + ":" + std::to_string(e->line) + ":" + std::to_string(e->col) +
                       ": " + e->message;
    // An alias visits the same node twice; say each thing once.
    if (!seen.insert(line).second) continue;
    if (!out.empty()) out += "\n";
    out += line;
  }
  return out;
}

std::string Quoted(std::string_view text) {
  constexpr size_t kMax = 80;
  if (text.size() > kMax) return "\"" + std::string(text.substr(0, kMax - 3)) + "...\"";
  return "\"" + std::string(text) + "\"";
}

}  // namespace leakprobe
