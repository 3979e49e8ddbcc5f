// Per-stack counts: the cheap view of a target's goroutines that settle polls and growth
// iterations read, and how it meets the full view. Pure; no I/O; a finished StackCounts is a
// plain value, safe to share between threads.
//
// Design. A full dump (`goroutine?debug=2`) stops the target's world while every stack is
// printed: seconds, and a freeze of 0.6-1.9 s, at 100k goroutines. The same profile at
// `debug=1` prints each distinct stack once with a count, for a freeze of about 10 ms. The
// two views meet on the stack itself. debug=2 prints `func(args)` and `file:line +0x1a5`;
// debug=1 prints `func+0x1a4 file:line`, hides the runtime frames on top of a stack
// (`runtime.gopark`, `runtime.chanrecv1`) that debug=2 shows, and shows those below
// (`runtime.main`) that debug=2 hides. CountKey is what both share: the frames that are not
// the runtime's, each function with its file:line; no arguments, offsets, state, wait,
// labels or creator (debug=1 has none of the last four). So the baseline, taken in full
// (it needs ids), is also a count per CountKey (and, read again at once in debug=1, the
// larger of the two per stack: a long-lived goroutine caught on two stacks, a connection in
// and between requests, is old on both), and a debug=1 poll subtracts it stack by stack.
// What rose above the baseline is the excess, judged by the rules of a full dump
// (ExcessOverBaseline, then Judge).
//   What a count can say: every rule holds with what rose above the baseline (the new
// goroutines drained, the suspects gone, no stack the runtime proves leaked rose, from
// goroutineleak?debug=1), so the check is clean; or that something is still there.
//   What it cannot say: which goroutines they are (ids, waits, arguments, creator, the step
// that created them); whether a baseline goroutine ended while a new one took its place on
// the same stack (the count did not move: a count poll calls that clean, `poll: full` does
// not); which of two stacks that differ only in hidden runtime frames, state or creator a
// goroutine is on (a pattern on `state` or `created_by` reads the baseline's full sample of
// the CountKey, and the frames alone for a stack new since). A goroutine that moved to a
// stack the baseline never saw it on looks new until a full dump says otherwise.
//   So a count poll may end a check clean, and every failure is judged again on one full
// dump, whose buckets carry what a report shows. A dump URL that is not net/http/pprof's
// `goroutine?debug=2`, a target that does not answer debug=1, a gops agent, a file or a
// SIGQUIT trace is polled in full, as is everything under `dump.poll: full` and a check
// `against` a snapshot (snapshots are ids). The loops that use this: harness/count_polls.h.
#ifndef LEAKPROBE_MATCHERS_STACK_COUNTS_H_
#define LEAKPROBE_MATCHERS_STACK_COUNTS_H_

#include <cstdint>
#include <map>
#include <string>

#include "matchers/goroutine.h"
#include "matchers/grouped_dump.h"

namespace leakprobe {

// A stack as both views print it: its frames that are not the runtime's (all of them when
// every frame is), "func file:line" each, the first 20 (debug=1 stops at 32 program
// counters, the hidden runtime ones among them), joined by '\n'. E.g. for
//   main.(*Server).logsContainer(0xc000098938, {0x75f4a0, 0xc00011e000}, 0xc000106700)
//   	/tmp/dumpgen/main.go:40 +0x19b
// (below runtime.gopark and runtime.chanrecv1) and for
//   #	0x67123a	main.(*Server).logsContainer+0x19a	/tmp/dumpgen/main.go:40
// the key starts "main.(*Server).logsContainer /tmp/dumpgen/main.go:40\n".
std::string CountKey(const Goroutine& g);

// GrowthSignature (growth.h) as both views show it: the functions of the frames CountKey
// keeps (all of them), without the creator. TakeCensus uses it for debug=1 dumps, so a
// growth check that polls counts fits these; a full dump's stacks are found under them.
std::string CountSignature(const Goroutine& g);
// The CountSignature of the goroutines a GrowthSignature (or a CountSignature) names: its
// runtime functions and creator left out. "runtime.gopark\nmain.f\n<main.main" -> "main.f\n".
std::string CountSignatureOf(const std::string& growth_signature);
// Whether `g` (from either view) is one of the goroutines counted under `signature` (a
// CountSignature from a debug=1 record): the same, or, for a signature as deep as debug=1
// prints, one that goes on below it.
bool CountedUnder(const Goroutine& g, const std::string& signature);

// The goroutines of one dump per CountKey, with one full sample each (from a debug=2 dump:
// its state and creator, for the rules that read them).
class StackCounts {
 public:
  StackCounts() = default;
  // Counts `dump` (either form); a debug=2 dump's samples are kept.
  explicit StackCounts(const GroupedDump& dump);

  // Keeps, per key, the larger count of this and `other` (and a sample from either): a
  // baseline seen twice, so that a long-lived goroutine seen on two stacks (a connection
  // between requests and in one) is old on both.
  void MaxWith(const StackCounts& other);

  int64_t Count(const std::string& key) const;
  int64_t Leaked(const std::string& key) const;  // of them, marked leaked by the runtime
  // The full sample of `key`; null when none was seen (or the dump was debug=1).
  const Goroutine* Sample(const std::string& key) const;

 private:
  struct Entry {
    int64_t count = 0;
    int64_t leaked = 0;
    bool has_sample = false;
    Goroutine sample;
  };
  std::map<std::string, Entry> entries_;
};

// Gives each bucket of a debug=1 `counts` dump the full sample `baseline` holds for its
// CountKey, when it holds one, keeping the record's labels and leak mark: the ignore rules,
// suspects and names of a growth check then read its state and creator. The format stays
// "debug=1" (its signatures stay CountSignature).
void UseFullSamples(const StackCounts& baseline, GroupedDump* counts);

// What rose above `baseline` (null: nothing was there before) in a debug=1 `poll` of the
// goroutine profile and, when it was read, the debug=1 `leaked` goroutineleak profile: one
// bucket per CountKey with the excess as its count and no ids, its sample the baseline's
// full one when known. Goroutines proven leaked are apart (sample.leaked), and are not
// counted again among the plain excess of their stack. Judge(excess, &empty ids, rules with
// min_wait_minutes 0, &empty ids) then applies a leaks block to it: debug=1 shows no waits,
// so every excess goroutine counts as old enough. A record with no frames (a goroutine that
// has not run yet: debug=1 hides its only frame, runtime.goexit) is left for a later poll.
GroupedDump ExcessOverBaseline(const GroupedDump& poll, const GroupedDump* leaked, const StackCounts* baseline);

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_STACK_COUNTS_H_
