// libFuzzer target for the whole `leakprobe scan` path: dump text -> DumpParser ->
// Bucketer/Judge -> FormatBucket. Dumps come over the network and may be cut off or hold
// any bytes, so none of this may crash, hang or trip ASan/UBSan.
//
// The input is fed to the parser in chunks whose sizes come from the input's own bytes
// (1 byte, a few bytes, a few hundred, a few KB), so lines split across Feed calls are
// exercised, with the raw text kept. The result must equal parsing the same text in one
// piece (raw text aside): a split line changing what is read is a bug, and the target
// aborts on it.
//
// Built only with clang (fuzz/CMakeLists.txt); run it with scripts/fuzz.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "matchers/bucket.h"
#include "matchers/dump_parser.h"
#include "matchers/goroutine.h"
#include "matchers/pattern.h"
#include "matchers/verdict.h"

namespace leakprobe {
namespace {

// The length of the next chunk, from the byte where it starts and how many came before.
size_t ChunkLen(uint8_t b, size_t step) {
  switch ((b + step) % 4) {
    case 0: return 1;
    case 1: return 1 + b % 16;
    case 2: return 1 + (b * 7u) % 512;
    default: return 4096 + b * 64u;
  }
}

bool SameFrame(const Frame& a, const Frame& b) {
  return a.func == b.func && a.args == b.args && a.file == b.file && a.line == b.line &&
         a.inlined == b.inlined;
}

bool SameGoroutine(const Goroutine& a, const Goroutine& b) {
  if (a.id != b.id || a.state != b.state || a.wait_minutes != b.wait_minutes ||
      a.locked_to_thread != b.locked_to_thread || a.frames_elided != b.frames_elided ||
      a.stack_unavailable != b.stack_unavailable || a.has_created_by != b.has_created_by ||
      a.parent_id != b.parent_id || a.labels != b.labels || a.count != b.count ||
      a.frames.size() != b.frames.size() || !SameFrame(a.created_by, b.created_by)) {
    return false;
  }
  for (size_t i = 0; i < a.frames.size(); ++i) {
    if (!SameFrame(a.frames[i], b.frames[i])) return false;
  }
  return true;
}

[[noreturn]] void Mismatch(const char* what) {
  std::fprintf(stderr, "dump_parser_fuzz: chunked and whole parses differ: %s\n", what);
  std::abort();
}

// Suspects and ignores of every target kind, keyword and regex. Made once, never freed.
const LeakRules& Rules() {
  static const LeakRules* rules = [] {
    auto* r = new LeakRules;
    r->suspects.push_back(Pattern::FromFlag("(*Server).logsContainer").value());
    r->suspects.push_back(Pattern::FromFlag("regex:^main\\.[a-z]+$").value());
    r->suspects.push_back(Pattern::Make(PatternTarget::kState, false, "chan receive").value());
    r->ignore.push_back(Pattern::Make(PatternTarget::kTopFrame, true, "^main\\.\\(\\*Monitor\\)").value());
    r->ignore.push_back(Pattern::Make(PatternTarget::kCreatedBy, false, "signal").value());
    r->ignore.push_back(Pattern::Make(PatternTarget::kFile, true, "_test\\.go$").value());
    r->max_new_goroutines = 3;
    r->min_wait_minutes = 0;
    return r;
  }();
  return *rules;
}

}  // namespace
}  // namespace leakprobe

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace leakprobe;
  std::string_view text(reinterpret_cast<const char*>(data), size);

  // Fed in chunks, as `scan` reads a file or a socket, keeping each goroutine's raw text.
  // The sink moves, as `scan`'s does.
  Dump chunked;
  DumpParser parser([&chunked](Goroutine& g) { chunked.goroutines.push_back(std::move(g)); });
  parser.set_keep_raw(true);
  size_t pos = 0;
  for (size_t step = 0; pos < size; ++step) {
    size_t n = std::min(ChunkLen(data[pos], step), size - pos);
    parser.Feed(text.substr(pos, n));
    pos += n;
  }
  parser.Finish();
  chunked.warnings = parser.warnings();
  chunked.declared_total = parser.declared_total();
  chunked.format = parser.format();

  // In one piece, without raw text; everything else must be the same.
  Dump whole = ParseDump(text);
  if (whole.goroutines.size() != chunked.goroutines.size()) Mismatch("goroutine count");
  for (size_t i = 0; i < whole.goroutines.size(); ++i) {
    if (!SameGoroutine(whole.goroutines[i], chunked.goroutines[i])) Mismatch("a goroutine");
  }
  if (whole.warnings != chunked.warnings) Mismatch("warnings");
  if (whole.declared_total != chunked.declared_total) Mismatch("declared total");
  if (whole.format != chunked.format) Mismatch("format");

  // The leak check against a baseline holding every other id, so both suspects and other
  // new goroutines are reported.
  std::vector<int64_t> every_other;
  for (size_t i = 0; i < whole.goroutines.size(); i += 2) every_other.push_back(whole.goroutines[i].id);
  IdSet baseline(std::move(every_other));
  Verdict v = Judge(chunked, &baseline, Rules());
  size_t sink = static_cast<size_t>(whole.Total()) + v.message.size() + v.detail.size();

  // What `scan` does: bucket, name and print (JSON adds each frame's package and receiver).
  Bucketer bucketer;
  for (Goroutine& g : whole.goroutines) {
    sink += NameOf(g).size() + StackKey(g).size() + IsBuiltinIgnored(g);
    for (const Frame& f : g.frames) sink += f.Package().size() + f.Receiver().size();
    sink += g.created_by.Package().size() + g.created_by.Receiver().size();
    bucketer.Add(g);
  }
  for (const Bucket& b : bucketer.Take()) sink += FormatBucket(b).size();
  if (sink == 1) std::fputc(0, stderr);  // keeps the work from being optimised away
  return 0;
}
