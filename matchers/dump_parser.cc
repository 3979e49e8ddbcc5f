#include "matchers/dump_parser.h"

#include <cstring>

#include "matchers/goroutine_header.h"
#include "matchers/text_scan.h"

namespace leakprobe {

namespace {

constexpr size_t kMaxWarnings = 50;
// More goroutines than any process can hold (each takes at least 2 KiB of stack).
constexpr int64_t kMaxCount = 1000000000;

// A short, printable excerpt of a line for a warning.
std::string Excerpt(std::string_view line) {
  std::string out;
  for (char c : line.substr(0, 80)) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '\t') out += "\\t";
    else out += (u < 0x20 || u == 0x7f) ? '?' : c;
  }
  if (line.size() > 80) out += "...";
  return out;
}

}  // namespace

DumpParser::DumpParser(Sink sink) : sink_(std::move(sink)) {}

void DumpParser::Feed(std::string_view chunk) {
  while (!chunk.empty()) {
    const char* nl = static_cast<const char*>(std::memchr(chunk.data(), '\n', chunk.size()));
    if (nl == nullptr) {
      carry_.append(chunk.data(), chunk.size());
      return;
    }
    size_t len = nl - chunk.data();
    if (carry_.empty()) {
      Line(chunk.substr(0, len));
    } else {
      carry_.append(chunk.data(), len);
      std::string line;
      line.swap(carry_);
      Line(line);
    }
    chunk.remove_prefix(len + 1);
  }
}

void DumpParser::Finish() {
  if (!carry_.empty()) {
    // A last line without its newline is only damage when it does not read as a whole line.
    size_t warned = warnings_.size() + suppressed_warnings_;
    std::string line;
    line.swap(carry_);
    Line(line);
    if (warnings_.size() + suppressed_warnings_ != warned) {
      Warn("line " + std::to_string(line_no_) + ": the dump ends mid-line");
    }
  }
  if (open_) {
    if (state_ == State::kFile ||
        (current_.frames.empty() && !current_.stack_unavailable && state_ != State::kRecord)) {
      Warn("line " + std::to_string(line_no_) + ": dump cut off inside goroutine " +
           std::to_string(current_.id));
    }
    Emit();
  }
  if (suppressed_warnings_ > 0) {
    warnings_.push_back(std::to_string(suppressed_warnings_) + " more warnings not shown");
    suppressed_warnings_ = 0;
  }
}

void DumpParser::Warn(const std::string& what) {
  if (warnings_.size() < kMaxWarnings) warnings_.push_back(what);
  else ++suppressed_warnings_;
}

void DumpParser::Emit() {
  sink_(current_);
  Reset();
  open_ = false;
  state_ = State::kOutside;
}

// Clears current_ for the next goroutine but keeps the frames' string buffers in a pool:
// allocation was the largest cost of reading a big dump. (A sink that moved the goroutine
// away leaves nothing to keep, which is fine too.)
void DumpParser::Reset() {
  for (Frame& f : current_.frames) spare_frames_.push_back(std::move(f));
  current_.frames.clear();
  current_.id = -1;
  current_.state.clear();
  current_.wait_minutes = 0;
  current_.locked_to_thread = false;
  current_.frames_elided = false;
  current_.stack_unavailable = false;
  current_.has_created_by = false;
  current_.created_by.func.clear();
  current_.created_by.args.clear();
  current_.created_by.file.clear();
  current_.created_by.line = 0;
  current_.created_by.inlined = false;
  current_.parent_id = -1;
  current_.leaked = false;
  current_.durable = false;
  current_.synctest_bubble = -1;
  current_.labels.clear();
  current_.count = 1;
  current_.raw.clear();
}

Frame* DumpParser::NewFrame() {
  if (spare_frames_.empty()) {
    current_.frames.emplace_back();
  } else {
    current_.frames.push_back(std::move(spare_frames_.back()));
    spare_frames_.pop_back();
  }
  return &current_.frames.back();
}

void DumpParser::DropLastFrame() {
  spare_frames_.push_back(std::move(current_.frames.back()));
  current_.frames.pop_back();
}

void DumpParser::Line(std::string_view line) {
  ++line_no_;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (prefix_len_ > 0) {
    line = StripPrefix(line);
  } else if (!line.empty() && line[0] != 'g' && line.back() == ':' && state_ == State::kOutside) {
    DetectPrefix(&line);
  }

  if (keep_raw_ && open_ && !line.empty()) {
    current_.raw.append(line.data(), line.size());
    current_.raw.push_back('\n');
  }
  if (line.empty()) {
    if (open_) {
      if (state_ == State::kFile) {
        Warn("line " + std::to_string(line_no_) + ": goroutine " + std::to_string(current_.id) +
             ": frame without a location line");
      }
      Emit();
    }
    return;
  }
  if (line[0] == 'g' && StartsWith(line, "goroutine")) {
    // "goroutine profile: total 13", or the leak profile's "goroutineleak profile: total 1",
    // whose every record the runtime proved leaked.
    bool leak_profile = StartsWith(line, "goroutineleak profile: total ");
    if (leak_profile || StartsWith(line, "goroutine profile: total ")) {
      if (open_) Emit();
      std::string_view rest = line.substr(leak_profile ? 29 : 25);
      int64_t total;
      if (TakeNumber(&rest, &total) && total <= kMaxCount) {
        declared_total_ = declared_total_ < 0 ? total : declared_total_ + total;
      } else {
        Warn("line " + std::to_string(line_no_) + ": implausible profile total: \"" + Excerpt(line) + "\"");
      }
      in_leak_profile_ = leak_profile;
      format_ = "debug=1";
      return;
    }
    if (line.size() > 10 && line[9] == ' ' && IsDigit(line[10])) {
      bool was_open = open_;
      State was = state_;
      int64_t was_id = current_.id;
      if (was_open) Emit();
      if (Header(line)) {
        if (was_open && was == State::kFile) {
          Warn("line " + std::to_string(line_no_) + ": goroutine " + std::to_string(was_id) +
               " ends without the location of its last frame");
        }
        return;
      }
      Warn("line " + std::to_string(line_no_) + ": unreadable goroutine header: \"" +
           Excerpt(line) + "\"");
      return;
    }
  }

  switch (state_) {
    case State::kOutside:
      if (IsDigit(line[0]) && RecordHeader(line)) return;
      return;  // text around a dump: panic messages, register dumps, log lines

    case State::kRecord:
      if (line[0] == '#') {
        RecordFrame(line);
      } else if (IsDigit(line[0])) {
        Emit();
        if (!RecordHeader(line)) {
          Warn("line " + std::to_string(line_no_) + ": not a profile record: \"" +
               Excerpt(line) + "\"");
        }
      } else {
        Warn("line " + std::to_string(line_no_) + ": not a profile frame: \"" + Excerpt(line) +
             "\"");
      }
      return;

    case State::kAncestor:
      return;  // frames of the goroutine's ancestors; not where it is now

    case State::kFile:
      if (line[0] == '\t' || line[0] == ' ') {
        if (!FileLine(line, &current_.frames.back())) {
          Warn("line " + std::to_string(line_no_) + ": unreadable location: \"" +
               Excerpt(line) + "\"");
        }
        state_ = State::kFunc;
        return;
      }
      Warn("line " + std::to_string(line_no_) + ": goroutine " + std::to_string(current_.id) +
           ": frame without a location line");
      state_ = State::kFunc;
      break;  // read the line as what follows a frame

    case State::kCreatedFile:
      state_ = State::kFunc;
      if (line[0] == '\t' || line[0] == ' ') {
        FileLine(line, &current_.created_by);
        return;
      }
      break;

    case State::kFunc:
      break;
  }

  // State::kFunc: a frame, or one of the lines that may follow frames.
  if (line[0] == '.' && StartsWith(line, "...")) {
    current_.frames_elided = true;  // "...additional frames elided..." or "...N frames elided..."
    return;
  }
  if (line[0] == 'c' && StartsWith(line, "created by ")) {
    std::string_view rest = line.substr(11);
    size_t in = rest.rfind(" in goroutine ");
    if (in != std::string_view::npos) {
      std::string_view num = rest.substr(in + 14);
      int64_t parent;
      if (TakeNumber(&num, &parent) && num.empty()) {
        current_.parent_id = parent;
        rest = rest.substr(0, in);
      }
    }
    current_.has_created_by = true;
    current_.created_by.func.assign(rest.data(), rest.size());
    state_ = State::kCreatedFile;
    return;
  }
  if (line[0] == '[' && StartsWith(line, "[originating from goroutine ")) {
    state_ = State::kAncestor;
    return;
  }
  std::string_view trimmed = line;
  while (!trimmed.empty() && (trimmed[0] == '\t' || trimmed[0] == ' ')) trimmed.remove_prefix(1);
  if (StartsWith(trimmed, "goroutine running on other thread")) {
    current_.stack_unavailable = true;
    return;
  }
  if (line[0] != '\t' && line[0] != ' ') {
    if (FuncLine(line, NewFrame())) {
      state_ = State::kFile;
      return;
    }
    DropLastFrame();
  }
  Warn("line " + std::to_string(line_no_) + ": not a stack frame: \"" + Excerpt(line) + "\"");
}

// Whether `line` is a whole goroutine header, as a prefix detector needs to be sure of.
static bool LooksLikeHeader(std::string_view line) {
  Goroutine scratch;
  std::string problem;
  return ParseGoroutineHeader(line, &scratch, &problem) && problem.empty();
}

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

// A goroutine header in any of its forms (goroutine_header.h). One that can be read only in
// part still opens its goroutine, with a warning: its id and frames are what a check needs.
bool DumpParser::Header(std::string_view line) {
  std::string problem;
  if (!ParseGoroutineHeader(line, &current_, &problem)) return false;
  if (!problem.empty()) {
    Warn("line " + std::to_string(line_no_) + ": goroutine " + std::to_string(current_.id) +
         ": header read in part (" + problem + "): \"" + Excerpt(line) + "\"");
  }
  open_ = true;
  state_ = State::kFunc;
  if (format_.empty()) format_ = "debug=2";
  if (keep_raw_) current_.raw.assign(line.data(), line.size()).push_back('\n');
  return true;
}

// "3 @ 0x43b296 0x407e9b" opens a debug=1 record of three goroutines.
bool DumpParser::RecordHeader(std::string_view line) {
  std::string_view rest = line;
  int64_t count;
  if (!TakeNumber(&rest, &count) || !StartsWith(rest, " @")) return false;
  if (count > kMaxCount) {
    // No process holds a billion goroutines; such a count is damage, and summing it could
    // overflow.
    Warn("line " + std::to_string(line_no_) + ": implausible goroutine count: \"" + Excerpt(line) + "\"");
    count = 0;
  }
  Reset();
  current_.count = count;
  current_.leaked = in_leak_profile_;
  open_ = true;
  state_ = State::kRecord;
  if (format_.empty()) format_ = "debug=1";
  if (keep_raw_) current_.raw.assign(line.data(), line.size()).push_back('\n');
  return true;
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

Dump ParseDump(std::string_view text) {
  Dump dump;
  DumpParser parser([&dump](Goroutine& g) { dump.goroutines.push_back(std::move(g)); });
  parser.Feed(text);
  parser.Finish();
  dump.warnings = parser.warnings();
  dump.declared_total = parser.declared_total();
  dump.format = parser.format();
  return dump;
}

}  // namespace leakprobe
