// The goroutine model: what the parser makes of a dump. Plain immutable-after-parse values;
// no I/O. The parser (dump_parser.h) fills them; matchers and reports only read them.
#ifndef LEAKPROBE_MATCHERS_GOROUTINE_H_
#define LEAKPROBE_MATCHERS_GOROUTINE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "matchers/labels.h"

namespace leakprobe {

// One stack frame, from the two lines
//   main.(*Server).logsContainer(0xc0000a8000, {0x7a2c40, 0xc0000b6000})
//   	/src/minipouchd/main.go:142 +0x1a5
struct Frame {
  std::string func;   // "main.(*Server).logsContainer"
  std::string args;   // "0xc0000a8000, {0x7a2c40, 0xc0000b6000}" ("..." for inlined)
  std::string file;   // "/src/minipouchd/main.go"
  int line = 0;       // 142; 0 when the location line was missing
  bool inlined = false;

  // The import path: "net/http" for "net/http.(*conn).serve", "main" for "main.main".
  std::string Package() const;
  // The method's receiver: "*Server" for "main.(*Server).logsContainer", "HandlerFunc" for
  // "net/http.HandlerFunc.ServeHTTP", "" for a plain function or a closure ("main.main.func1").
  std::string Receiver() const;
};

struct Goroutine {
  int64_t id = -1;             // 18 in "goroutine 18 [chan receive, 5 minutes]:"
  std::string state;           // "chan receive" (the runtime's markers below taken off)
  int wait_minutes = 0;        // 5; 0 when not shown
  bool locked_to_thread = false;
  // "[chan send (leaked)]": the Go runtime's leak detector (Go 1.26+, the goroutineleak
  // profile) proved that nothing can ever wake it. Every record of a debug=1
  // "goroutineleak profile" is leaked too.
  bool leaked = false;
  bool durable = false;          // "(durable)": blocked inside a synctest bubble for good
  int64_t synctest_bubble = -1;  // "synctest bubble 3"; 0 for Go 1.24's bare "synctest"
  Labels labels;                 // pprof labels: Go 1.26/1.27 headers, debug=1 "# labels:"
  std::vector<Frame> frames;   // innermost first
  bool frames_elided = false;  // "...additional frames elided..." was seen
  bool stack_unavailable = false;  // "goroutine running on other thread; stack unavailable"
  bool has_created_by = false;
  Frame created_by;            // "created by net/http.(*Server).Serve in goroutine 1"
  int64_t parent_id = -1;      // 1 in the line above; -1 when not printed
  int64_t count = 1;           // debug=1 profiles group goroutines: "3 @ 0x..." gives 3
  std::string raw;             // its text as in the dump, when the parser was asked to keep it
};

// A parsed dump: every goroutine that could be read, and what could not.
struct Dump {
  std::vector<Goroutine> goroutines;
  std::vector<std::string> warnings;  // "line 812: cut off inside goroutine 4711's stack"
  int64_t declared_total = -1;        // debug=1 "goroutine profile: total 20161"
  std::string format;                 // "debug=2" or "debug=1"

  // Goroutines read, counting each debug=1 record as its count.
  int64_t Total() const {
    int64_t n = 0;
    for (const auto& g : goroutines) n += g.count;
    return n;
  }
};

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_GOROUTINE_H_
