// Patterns that pick goroutines: a keyword (a plain substring) or an RE2 regex, applied to
// one part of a goroutine. Pure; a compiled Pattern is immutable and safe to share between
// threads.
#ifndef LEAKPROBE_MATCHERS_PATTERN_H_
#define LEAKPROBE_MATCHERS_PATTERN_H_

#include <memory>
#include <string>

#include "base/status.h"
#include "matchers/goroutine.h"

namespace re2 { class RE2; }

namespace leakprobe {

enum class PatternTarget {
  kAnyFrame,   // any frame's function
  kTopFrame,   // the innermost frame's function, past the runtime's own (see TopFrame)
  kCreatedBy,  // the created-by function
  kState,      // the state ("chan receive")
  kFile,       // any frame's file
  kLabel,      // any pprof label, as "key=value" ("tenant=t 1")
};

// The innermost frame outside package runtime: crash and SIGQUIT traces show
// runtime.gopark and friends on top, pprof's debug=2 hides them; a "top" pattern must mean
// the same frame in both. All-runtime stacks: their first frame. Null without frames.
const Frame* TopFrame(const Goroutine& g);

// Its scenario-file key: "keyword"/"regex" for kAnyFrame, then "top", "created_by", "state",
// "file", "label".
const char* PatternTargetName(PatternTarget t);

class Pattern {
 public:
  // Compiles `text` for `target`. With is_regex, `text` is RE2 syntax and a bad one yields
  // `bad regex "(": missing ): (` (RE2's own words). A keyword matches as a substring.
  static Result<Pattern> Make(PatternTarget target, bool is_regex, const std::string& text);

  // "regex:^main\." is a regex, anything else a keyword; for --suspect and --ignore.
  static Result<Pattern> FromFlag(const std::string& flag, PatternTarget target = PatternTarget::kAnyFrame);

  bool Matches(const Goroutine& g) const;
  bool MatchesText(const std::string& text) const;
  // The first function in `g` this pattern matched ("" for state and label patterns, or no
  // match).
  std::string MatchedFunction(const Goroutine& g) const;

  PatternTarget target() const { return target_; }
  bool is_regex() const { return regex_ != nullptr; }
  const std::string& text() const { return text_; }
  // "keyword (*Server).logsContainer" or "regex ^main\.readLogMessages$" (with "top " etc.).
  std::string Describe() const;

 private:
  Pattern() = default;
  PatternTarget target_ = PatternTarget::kAnyFrame;
  std::string text_;
  std::shared_ptr<const re2::RE2> regex_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_PATTERN_H_
