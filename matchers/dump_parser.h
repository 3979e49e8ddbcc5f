// Turns goroutine dump text into Goroutine values. Pure: it never reads a file or a socket;
// the caller feeds it bytes, in as many chunks as it likes, so a 200 MB dump streams through
// without being held whole.
//
// One line state machine reads both formats and finds which one it is on its own:
//   debug=2 (also runtime.Stack, gops `stack`, panic and SIGQUIT output, goroutineleak?debug=2):
//     goroutine 18 [chan receive, 5 minutes]:          header -> kFunc (every form in
//                                                      goroutine_header.h, to Go 1.27)
//     main.(*Server).logsContainer(0xc0000a8000, ...)  kFunc  -> kFile
//     	/src/minipouchd/logs.go:42 +0x1a5              kFile  -> kFunc
//     created by net/http.(*Server).Serve in goroutine 1   kFunc -> kCreatedFile
//     [originating from goroutine 1]:                  kFunc  -> kAncestor (frames skipped)
//     (blank line)                                     any    -> kOutside
//   debug=1 (`/debug/pprof/goroutine?debug=1`, or `goroutineleak?debug=1`):
//     goroutine profile: total 13                      -> kOutside (declared total)
//     goroutineleak profile: total 1                   -> kOutside (records are leaked)
//     3 @ 0x43b296 0x407e9b                            -> kRecord
//     # labels: {"job":"a"}
//     #	0x67123a	main.(*Server).logsContainer+0x19a	/tmp/main.go:40
// Text outside goroutines (a `panic:` line, `SIGQUIT: quit`, register dumps) is passed over.
// A log prefix on every line ("app-1  | ", journald's, kubectl's timestamps) is found from
// the first goroutine header behind one and stripped.
// Damage never stops it: a line it cannot read inside a goroutine is a warning naming the
// line number, a goroutine cut off at the end is still delivered, with a warning.
//
// Not thread-safe; one parser per dump.
#ifndef LEAKPROBE_MATCHERS_DUMP_PARSER_H_
#define LEAKPROBE_MATCHERS_DUMP_PARSER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "matchers/goroutine.h"

namespace leakprobe {

class DumpParser {
 public:
  // `sink` receives each goroutine as soon as it is complete; it may move from it.
  using Sink = std::function<void(Goroutine&)>;
  explicit DumpParser(Sink sink);

  // Keep each goroutine's text in Goroutine::raw (off by default: a huge dump streams
  // through without it).
  void set_keep_raw(bool keep) { keep_raw_ = keep; }

  // Feeds the next bytes of the dump; a line may be split across calls.
  void Feed(std::string_view chunk);
  // Ends the dump: delivers a goroutine still open, warns when the text was cut off.
  void Finish();

  const std::vector<std::string>& warnings() const { return warnings_; }
  int64_t declared_total() const { return declared_total_; }  // -1 when no debug=1 header
  const std::string& format() const { return format_; }       // "debug=2", "debug=1" or ""

 private:
  enum class State { kOutside, kFunc, kFile, kCreatedFile, kAncestor, kRecord };

  void Line(std::string_view line);
  bool GoroutineLine(std::string_view line);
  bool StateLine(std::string_view line);
  void FrameLine(std::string_view line);
  bool Header(std::string_view line);
  bool RecordHeader(std::string_view line);
  bool FuncLine(std::string_view line, Frame* frame);
  static bool FileLine(std::string_view line, Frame* frame);
  void RecordFrame(std::string_view line);
  void Emit();
  void DetectPrefix(std::string_view* line);
  std::string_view StripPrefix(std::string_view line) const;
  void Reset();
  Frame* NewFrame();
  void DropLastFrame();
  void Warn(const std::string& what);

  Sink sink_;
  State state_ = State::kOutside;
  Goroutine current_;
  std::vector<Frame> spare_frames_;  // recycled string buffers
  bool keep_raw_ = false;
  size_t prefix_len_ = 0;            // a log collector's prefix on every line; 0 for none
  std::string prefix_tail_;          // its last characters, e.g. "| "

  bool open_ = false;
  std::string carry_;  // an incomplete line between Feed calls
  int64_t line_no_ = 0;
  int64_t declared_total_ = -1;
  bool in_leak_profile_ = false;     // inside "goroutineleak profile: total N"
  std::string format_;
  std::vector<std::string> warnings_;
  size_t suppressed_warnings_ = 0;
};

// Parses a whole dump held in memory; the convenient form for small dumps and tests.
Dump ParseDump(std::string_view text);

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_DUMP_PARSER_H_
