#include "matchers/dump_parser.h"

#include <cstring>

#include "matchers/goroutine_header.h"
#include "matchers/text_scan.h"

namespace leakprobe {

namespace {

constexpr size_t kMaxWarnings = 50;
// More goroutines than any process can hold (each takes at least 2 KiB of stack).
constexpr int64_t kMaxCount = 1000000000;

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

// One line of the dump, whatever state the parser is in: a log prefix is stripped first, a
// blank line ends the goroutine, a "goroutine ..." line opens one (or a debug=1 profile),
// and the rest is read by the state (StateLine) and, after frames, as a frame (FrameLine).
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
  if (line[0] == 'g' && StartsWith(line, "goroutine") && GoroutineLine(line)) return;
  if (!StateLine(line)) FrameLine(line);
}

// "goroutine profile: total 13" (or the leak profile's "goroutineleak profile: total 1",
// whose every record the runtime proved leaked), or a goroutine header "goroutine 7 [...]:".
// False for another line that starts with "goroutine".
bool DumpParser::GoroutineLine(std::string_view line) {
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
    return true;
  }
  if (line.size() <= 10 || line[9] != ' ' || !IsDigit(line[10])) return false;
  bool was_open = open_;
  State was = state_;
  int64_t was_id = current_.id;
  if (was_open) Emit();
  if (Header(line)) {
    if (was_open && was == State::kFile) {
      Warn("line " + std::to_string(line_no_) + ": goroutine " + std::to_string(was_id) +
           " ends without the location of its last frame");
    }
    return true;
  }
  Warn("line " + std::to_string(line_no_) + ": unreadable goroutine header: \"" + Excerpt(line) + "\"");
  return true;
}

// A line as the state reads it: outside a goroutine, in a debug=1 record, among ancestors,
// or the location line after a frame or a created-by. True when it took the line; false to
// read it as what follows a frame (FrameLine).
bool DumpParser::StateLine(std::string_view line) {
  switch (state_) {
    case State::kOutside:
      if (IsDigit(line[0])) RecordHeader(line);
      return true;  // else text around a dump: panic messages, register dumps, log lines

    case State::kRecord:
      if (line[0] == '#') {
        RecordFrame(line);
      } else if (IsDigit(line[0])) {
        Emit();
        if (!RecordHeader(line)) {
          Warn("line " + std::to_string(line_no_) + ": not a profile record: \"" + Excerpt(line) + "\"");
        }
      } else {
        Warn("line " + std::to_string(line_no_) + ": not a profile frame: \"" + Excerpt(line) + "\"");
      }
      return true;

    case State::kAncestor:
      return true;  // frames of the goroutine's ancestors; not where it is now

    case State::kFile:
      state_ = State::kFunc;
      if (line[0] == '\t' || line[0] == ' ') {
        if (!FileLine(line, &current_.frames.back())) {
          Warn("line " + std::to_string(line_no_) + ": unreadable location: \"" + Excerpt(line) + "\"");
        }
        return true;
      }
      Warn("line " + std::to_string(line_no_) + ": goroutine " + std::to_string(current_.id) +
           ": frame without a location line");
      return false;  // read the line as what follows a frame

    case State::kCreatedFile:
      state_ = State::kFunc;
      if (line[0] == '\t' || line[0] == ' ') {
        FileLine(line, &current_.created_by);
        return true;
      }
      return false;

    case State::kFunc:
      return false;
  }
  return false;
}

// State::kFunc: a frame "main.f(0x1)", or one of the lines that may follow frames
// ("...additional frames elided...", "created by ...", "[originating from goroutine 1]:").
void DumpParser::FrameLine(std::string_view line) {
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
