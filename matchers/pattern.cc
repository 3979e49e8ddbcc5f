#include "matchers/pattern.h"

#include <re2/re2.h>

namespace leakprobe {

const char* PatternTargetName(PatternTarget t) {
  switch (t) {
    case PatternTarget::kAnyFrame: return "any";
    case PatternTarget::kTopFrame: return "top";
    case PatternTarget::kCreatedBy: return "created_by";
    case PatternTarget::kState: return "state";
    case PatternTarget::kFile: return "file";
    case PatternTarget::kLabel: return "label";
  }
  return "any";
}

const Frame* TopFrame(const Goroutine& g) {
  for (const Frame& f : g.frames) {
    if (f.func.compare(0, 8, "runtime.") != 0) return &f;
  }
  return g.frames.empty() ? nullptr : &g.frames[0];
}

Result<Pattern> Pattern::Make(PatternTarget target, bool is_regex, const std::string& text) {
  Pattern p;
  p.target_ = target;
  p.text_ = text;
  if (is_regex) {
    auto re = std::make_shared<re2::RE2>(text, re2::RE2::Quiet);
    if (!re->ok()) {
      return Status::Error("bad regex \"" + text + "\": " + re->error());
    }
    p.regex_ = std::move(re);
  }
  return p;
}

Result<Pattern> Pattern::FromFlag(const std::string& flag, PatternTarget target) {
  if (flag.compare(0, 6, "regex:") == 0) return Make(target, true, flag.substr(6));
  return Make(target, false, flag);
}

bool Pattern::MatchesText(const std::string& text) const {
  if (regex_) return re2::RE2::PartialMatch(text, *regex_);
  return text.find(text_) != std::string::npos;
}

std::string Pattern::MatchedFunction(const Goroutine& g) const {
  switch (target_) {
    case PatternTarget::kAnyFrame:
      for (const Frame& f : g.frames) {
        if (MatchesText(f.func)) return f.func;
      }
      return "";
    case PatternTarget::kTopFrame: {
      const Frame* top = TopFrame(g);
      if (top && MatchesText(top->func)) return top->func;
      return "";
    }
    case PatternTarget::kCreatedBy:
      if (g.has_created_by && MatchesText(g.created_by.func)) return g.created_by.func;
      return "";
    case PatternTarget::kFile:
      for (const Frame& f : g.frames) {
        if (MatchesText(f.file)) return f.func;
      }
      return "";
    case PatternTarget::kState:
    case PatternTarget::kLabel:
      return "";
  }
  return "";
}

bool Pattern::Matches(const Goroutine& g) const {
  if (target_ == PatternTarget::kState) return MatchesText(g.state);
  if (target_ == PatternTarget::kLabel) {
    for (const auto& label : g.labels) {
      if (MatchesText(LabelText(label))) return true;
    }
    return false;
  }
  return !MatchedFunction(g).empty();
}

std::string Pattern::Describe() const {
  std::string out;
  if (target_ != PatternTarget::kAnyFrame) out = std::string(PatternTargetName(target_)) + " ";
  out += regex_ ? "regex " : "keyword ";
  return out + text_;
}

}  // namespace leakprobe
