// The readers of single dump lines behind DumpParser (dump_parser.h): a log collector's
// prefix, a debug=1 record's frame, a debug=2 frame and its location. Pure; no I/O.
#include <cstring>

#include "matchers/dump_parser.h"
#include "matchers/goroutine_header.h"
#include "matchers/labels.h"
#include "matchers/text_scan.h"

namespace leakprobe {

// Whether `line` is a whole goroutine header, as a prefix detector needs to be sure of.
namespace {

bool LooksLikeHeader(std::string_view line) {
  Goroutine scratch;
  std::string problem;
  return ParseGoroutineHeader(line, &scratch, &problem) && problem.empty();
}

}  // namespace

// Log collectors put a prefix before every line: "app-1  | " (docker compose),
// "Nov 28 07:15:09 host app[12]: " (journald), "2026-11-28T07:15:09.5Z " (kubectl
// --timestamps). The first header seen behind one tells its length and its last characters;
// later lines lose as much, give or take a few characters of a timestamp's varying width.
void DumpParser::DetectPrefix(std::string_view* line) {
  size_t p = line->find("goroutine ");
  if (p == std::string_view::npos || p == 0 || p > 200) return;
  std::string_view rest = line->substr(p);
  if (!LooksLikeHeader(rest)) return;
  prefix_len_ = p;
  std::string_view before = line->substr(0, p);
  size_t tail = std::min<size_t>(2, before.size());
  prefix_tail_.assign(before.data() + before.size() - tail, tail);
  *line = rest;
}

std::string_view DumpParser::StripPrefix(std::string_view line) const {
  size_t n = prefix_tail_.size();
  if (line.size() >= prefix_len_ && line.substr(prefix_len_ - n, n) == prefix_tail_) {
    return line.substr(prefix_len_);
  }
  // A timestamp a little shorter or longer: the nearest end of the tail wins.
  size_t lo = prefix_len_ > 12 ? prefix_len_ - 12 : n;
  size_t hi = std::min(line.size(), prefix_len_ + 12);
  for (size_t d = 1; d <= 12; ++d) {
    for (size_t end : {prefix_len_ - std::min(d, prefix_len_), prefix_len_ + d}) {
      if (end >= lo && end <= hi && end >= n && line.substr(end - n, n) == prefix_tail_) {
        return line.substr(end);
      }
    }
  }
  // A line without the prefix (a collector's own line, or none at all): as it is.
  return line;
}

// "#	0x67123a	main.(*Server).logsContainer+0x19a	/tmp/main.go:40" or "# labels: {...}".
void DumpParser::RecordFrame(std::string_view line) {
  if (StartsWith(line, "# labels: ")) {
    if (!ParseLabels(line.substr(10), &current_.labels)) {
      Warn("line " + std::to_string(line_no_) + ": labels read in part: \"" + Excerpt(line) + "\"");
    }
    return;
  }
  std::string_view fields[4];
  int n = 0;
  size_t i = 1;
  while (i < line.size() && n < 4) {
    while (i < line.size() && (line[i] == '\t' || line[i] == ' ')) ++i;
    if (i >= line.size()) break;
    size_t end = (n < 2) ? line.find_first_of("\t ", i) : line.find('\t', i);
    if (n == 2 && end == std::string_view::npos) end = line.size();
    if (end == std::string_view::npos) end = line.size();
    fields[n++] = line.substr(i, end - i);
    i = end;
  }
  if (n < 2) {
    Warn("line " + std::to_string(line_no_) + ": not a profile frame: \"" + Excerpt(line) + "\"");
    return;
  }
  Frame& frame = *NewFrame();
  frame.args.clear();
  frame.inlined = false;
  frame.line = 0;
  std::string_view func = fields[1];
  size_t plus = func.rfind("+0x");
  if (plus != std::string_view::npos) func = func.substr(0, plus);
  frame.func.assign(func.data(), func.size());
  if (n >= 3) {
    std::string_view loc = fields[2];
    size_t colon = loc.rfind(':');
    int64_t line_num;
    std::string_view num = colon == std::string_view::npos ? "" : loc.substr(colon + 1);
    if (colon != std::string_view::npos && TakeNumber(&num, &line_num) && num.empty()) {
      frame.file.assign(loc.data(), colon);
      frame.line = static_cast<int>(line_num);
    } else {
      frame.file.assign(loc.data(), loc.size());
    }
  } else {
    frame.file.clear();
  }
}

// "main.(*Server).logsContainer(0xc0000a8000, {0x7a2c40, 0xc0000b6000})": the function is
// everything before the argument list, which is the parenthesised group that ends the line.
bool DumpParser::FuncLine(std::string_view line, Frame* frame) {
  if (line.back() != ')') return false;
  // Arguments never hold parentheses ("{0x1, 0x2}", "0x0?", "...", "_"), so the last "("
  // opens them; the function name may hold some ("main.(*Server).logs").
  const void* found = memrchr(line.data(), '(', line.size());
  if (found == nullptr) return false;
  size_t open = static_cast<const char*>(found) - line.data();
  if (open == 0) return false;
  std::string_view func = line.substr(0, open);
  if (std::memchr(func.data(), ' ', func.size()) || std::memchr(func.data(), '\t', func.size())) {
    // Only generic type arguments ("F[go.shape.struct { X int }]") may hold a space.
    int brackets = 0;
    for (char c : func) {
      if (c == '[') ++brackets;
      else if (c == ']') --brackets;
      else if ((c == ' ' || c == '\t') && brackets == 0) return false;
    }
  }
  frame->func.assign(func.data(), func.size());
  std::string_view args = line.substr(open + 1, line.size() - open - 2);
  frame->args.assign(args.data(), args.size());
  frame->inlined = args == "...";
  frame->file.clear();
  frame->line = 0;
  return true;
}

// "	/src/main.go:142 +0x1a5", "	C:/Program Files/x.go:7 +0x1d fp=0xc sp=0xc pc=0x4",
// "	<autogenerated>:1".
bool DumpParser::FileLine(std::string_view line, Frame* frame) {
  while (!line.empty() && (line[0] == '\t' || line[0] == ' ')) line.remove_prefix(1);
  size_t cut = line.rfind(" +0x");
  if (cut == std::string_view::npos) cut = line.find(" fp=");
  if (cut != std::string_view::npos) line = line.substr(0, cut);
  while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
  size_t colon = line.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view num = line.substr(colon + 1);
  int64_t n;
  if (!TakeNumber(&num, &n) || !num.empty()) return false;
  frame->file.assign(line.data(), colon);
  frame->line = static_cast<int>(n);
  return true;
}

}  // namespace leakprobe
