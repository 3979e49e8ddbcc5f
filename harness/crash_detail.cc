#include "harness/crash_detail.h"

#include <vector>

#include "matchers/bucket.h"
#include "matchers/dump_parser.h"

namespace leakprobe {

namespace {
constexpr size_t kErrorTail = 4 * 1024;  // of stderr, in an <error> body
constexpr size_t kErrorTailLines = 20;
}  // namespace

std::string TailLines(const std::string& text, size_t max_lines, size_t max_bytes) {
  size_t end = text.size();
  if (end > 0 && text[end - 1] == '\n') --end;  // a final newline ends the last line
  size_t start = end, lines = 0;
  while (start > 0 && end - start < max_bytes) {
    if (text[start - 1] == '\n' && ++lines == max_lines) break;
    --start;
  }
  if (end - start >= max_bytes) {  // cut inside a line: begin at the next whole one
    size_t nl = text.find('\n', start);
    start = nl == std::string::npos || nl >= end ? end : nl + 1;
  }
  return text.substr(start);
}

std::string CrashDetail(const std::string& err) {
  std::string out;
  size_t pos = 0;
  while (pos < err.size()) {
    size_t end = err.find('\n', pos);
    if (end == std::string::npos) end = err.size();
    std::string_view line(err.data() + pos, end - pos);
    for (const char* start : {"panic: ", "fatal error: ", "SIGQUIT: ", "SIGABRT: ", "SIGSEGV: "}) {
      if (line.rfind(start, 0) == 0) {
        out += "The target said: " + std::string(line) + "\n";
        break;
      }
    }
    pos = end + 1;
  }
  Dump dump = ParseDump(err);
  if (!dump.goroutines.empty()) {
    int64_t total = dump.Total();
    std::vector<Bucket> buckets = BucketGoroutines(std::move(dump.goroutines));
    out += "Its goroutines at the end (" + std::to_string(total) +
           ", from its stderr), grouped by identical stack:\n\n";
    for (const Bucket& b : buckets) out += FormatBucket(b) + "\n";
  }
  // The last lines it wrote, as they were: what it said before dying is often the reason.
  std::string tail = TailLines(err, kErrorTailLines, kErrorTail);
  if (!tail.empty()) out += "The end of its stderr:\n" + tail + (tail.back() == '\n' ? "" : "\n");
  return out;
}

}  // namespace leakprobe
