// Microbenchmarks of the scan path's pure part: DumpParser throughput on a debug=2 dump fed
// in 1 MiB chunks (as `scan` reads a file or a socket), the same with the Bucketer behind
// it, and the Bucketer alone. The dump is synthetic and made in memory, so no file or
// dumpgen is needed: stacks of the kinds a Go server parks (channel waits in handlers,
// selects, mutexes, sleeps, IO waits), 4 to 40 frames deep, with pointer arguments that
// differ per goroutine, so they bucket the way real ones do.
//
//   cmake --build build --target parser_bench && build/bench/parser_bench
//
// Numbers depend on the machine and its load; nothing checks them (see bench/README.md).
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include <benchmark/benchmark.h>

#include "matchers/bucket.h"
#include "matchers/dump_parser.h"
#include "matchers/goroutine.h"

namespace leakprobe {
namespace {

constexpr size_t kChunk = 1 << 20;

// xorshift64*: deterministic, so every run parses the same text.
class Rng {
 public:
  uint64_t Next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1DULL;
  }
  uint64_t Below(uint64_t n) { return Next() % n; }

 private:
  uint64_t s_ = 0x9E3779B97F4A7C15ULL;
};

struct Kind {
  const char* state;
  std::vector<const char*> top;  // innermost first; deeper stacks add main.walk frames below
  const char* created_by;
};

const std::vector<Kind>& Kinds() {
  static const std::vector<Kind> kinds = {
      {"chan receive",
       {"main.(*Server).logsContainer", "main.(*Server).ServeHTTP", "net/http.serverHandler.ServeHTTP",
        "net/http.(*conn).serve"},
       "net/http.(*Server).Serve"},
      {"select",
       {"main.readLogMessages", "main.(*Follower).run"},
       "main.(*Server).logsContainer"},
      {"semacquire",
       {"sync.runtime_SemacquireMutex", "sync.(*Mutex).lockSlow", "sync.(*Mutex).Lock",
        "github.com/acme/store.(*DB).Get", "main.handleGet"},
       "main.spawnAll"},
      {"sleep", {"time.Sleep", "main.poller"}, "main.startPollers"},
      {"IO wait",
       {"internal/poll.runtime_pollWait", "internal/poll.(*pollDesc).wait",
        "internal/poll.(*FD).Read", "os.(*File).Read", "main.pump"},
       "main.startPumps"},
      {"chan send", {"main.produce", "main.pipeline[...]"}, "main.spawnAll"},
  };
  return kinds;
}

// "\t/go/src/github.com/acme/server/pkg3/file2.go:412 +0x1a5": the same for a function
// every time, as in a real binary.
void AppendLocation(const char* func, std::string* out) {
  uint64_t h = 1469598103934665603ULL;
  for (const char* p = func; *p; ++p) h = (h ^ static_cast<unsigned char>(*p)) * 1099511628211ULL;
  char buf[128];
  int n = std::snprintf(buf, sizeof buf, "\t/go/src/github.com/acme/server/pkg%llu/file%llu.go:%llu +0x%llx\n",
                        static_cast<unsigned long long>(h % 40), static_cast<unsigned long long>(h % 7),
                        static_cast<unsigned long long>(20 + h % 900),
                        static_cast<unsigned long long>(h % 0x400));
  out->append(buf, n);
}

// "main.(*Server).logsContainer(0xc0000a8000, {0x7a2c40, 0xc0000b6000})" and its location.
void AppendFrame(Rng* rng, const char* func, bool inlined, std::string* out) {
  char buf[256];
  int n;
  if (inlined) {
    n = std::snprintf(buf, sizeof buf, "%s(...)\n", func);
  } else {
    n = std::snprintf(buf, sizeof buf, "%s(0xc%09llx, {0x%llx, 0xc%09llx})\n", func,
                      static_cast<unsigned long long>(rng->Below(1ULL << 36)),
                      static_cast<unsigned long long>(0x700000 + rng->Below(0x10000)),
                      static_cast<unsigned long long>(rng->Below(1ULL << 36)));
  }
  out->append(buf, n);
  AppendLocation(func, out);
}

// A debug=2 dump of at least `bytes` bytes.
std::string MakeDump(size_t bytes) {
  Rng rng;
  std::string out;
  out.reserve(bytes + 8192);
  const std::vector<Kind>& kinds = Kinds();
  for (int64_t id = 1; out.size() < bytes; ++id) {
    const Kind& k = kinds[rng.Below(kinds.size())];
    uint64_t minutes = rng.Below(4) == 0 ? rng.Below(30) : 0;
    out += "goroutine " + std::to_string(id) + " [" + k.state;
    if (minutes) out += ", " + std::to_string(minutes) + " minutes";
    out += "]:\n";
    for (const char* f : k.top) AppendFrame(&rng, f, false, &out);
    // Recursion of one of a few depths, so stacks of one kind fall into a few buckets.
    int depth = static_cast<int>(rng.Below(4)) * 4;
    for (int i = 0; i < depth; ++i) AppendFrame(&rng, "main.walk", i % 5 == 4, &out);
    out += "created by ";
    out += k.created_by;
    out += " in goroutine " + std::to_string(1 + rng.Below(id)) + "\n";
    AppendLocation(k.created_by, &out);
    out += "\n";
  }
  return out;
}

// The dump of `mib` MiB, made on first use.
const std::string& SyntheticDump(size_t mib) {
  static std::string dumps[257];  // up to 256 MiB
  std::string& d = dumps[mib];
  if (d.empty()) d = MakeDump(mib << 20);
  return d;
}

void FeedInChunks(std::string_view text, DumpParser* parser) {
  for (size_t pos = 0; pos < text.size(); pos += kChunk) parser->Feed(text.substr(pos, kChunk));
  parser->Finish();
}

// DumpParser alone; the sink only counts.
void BM_Parse(benchmark::State& state) {
  const std::string& text = SyntheticDump(state.range(0));
  int64_t goroutines = 0;
  size_t warnings = 0;
  for (auto _ : state) {
    goroutines = 0;
    DumpParser parser([&goroutines](Goroutine& g) { goroutines += g.count; });
    FeedInChunks(text, &parser);
    warnings = parser.warnings().size();
    benchmark::DoNotOptimize(goroutines);
  }
  if (warnings) state.SkipWithError("the synthetic dump does not parse cleanly");
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * text.size());
  state.counters["goroutines"] = static_cast<double>(goroutines);
  state.counters["goroutines/s"] =
      benchmark::Counter(static_cast<double>(goroutines), benchmark::Counter::kIsIterationInvariantRate);
}

// What `scan` does with a dump: parse and bucket as it streams.
void BM_ParseAndBucket(benchmark::State& state) {
  const std::string& text = SyntheticDump(state.range(0));
  size_t buckets = 0;
  for (auto _ : state) {
    Bucketer bucketer;
    DumpParser parser([&bucketer](Goroutine& g) { bucketer.Add(g); });
    FeedInChunks(text, &parser);
    buckets = bucketer.Take().size();
    benchmark::DoNotOptimize(buckets);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * text.size());
  state.counters["buckets"] = static_cast<double>(buckets);
}

// The Bucketer alone, over goroutines parsed beforehand. Add moves from the goroutine that
// opens each bucket, so those few are put back between iterations, outside the timing.
void BM_Bucketer(benchmark::State& state) {
  const Dump parsed = ParseDump(SyntheticDump(state.range(0)));
  std::vector<Goroutine> work = parsed.goroutines;
  std::vector<size_t> openers;  // the first goroutine of each stack
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < work.size(); ++i) {
    if (seen.insert(StackKey(work[i])).second) openers.push_back(i);
  }
  size_t buckets = 0;
  for (auto _ : state) {
    Bucketer bucketer;
    for (Goroutine& g : work) bucketer.Add(g);
    buckets = bucketer.Take().size();
    benchmark::DoNotOptimize(buckets);
    state.PauseTiming();
    for (size_t i : openers) work[i] = parsed.goroutines[i];
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * work.size());
  state.counters["buckets"] = static_cast<double>(buckets);
}

BENCHMARK(BM_Parse)->Arg(8)->Arg(64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ParseAndBucket)->Arg(8)->Arg(64)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Bucketer)->Arg(8)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace leakprobe

BENCHMARK_MAIN();
