#include "wire/leak_profile.h"

#include "wire/http_client.h"

namespace leakprobe {

std::string LeakProfileUrl(const std::string& dump_url, LeakProfileMode mode) {
  std::string origin, path;
  if (mode == LeakProfileMode::kOff || !SplitUrl(dump_url, &origin, &path)) return "";
  std::string bare = path.substr(0, path.find('?'));
  const std::string kSegment = "/goroutine";
  if (bare.size() >= kSegment.size() && bare.compare(bare.size() - kSegment.size(), kSegment.size(), kSegment) == 0) {
    return origin + bare + "leak?debug=2";
  }
  return mode == LeakProfileMode::kOn ? origin + "/debug/pprof/goroutineleak?debug=2" : "";
}

LeakProfile::LeakProfile(LeakProfileMode mode)
    : mode_(mode), state_(mode == LeakProfileMode::kOff ? State::kOff : State::kUnknown) {}

LeakProfile::State LeakProfile::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

bool LeakProfile::MayServe() const {
  State s = state();
  return s == State::kUnknown || s == State::kServed;
}

std::string LeakProfile::Describe() const {
  std::lock_guard<std::mutex> lock(mu_);
  switch (state_) {
    case State::kUnknown: return "";
    case State::kServed: return "served";
    case State::kAbsent: return "absent (" + absent_because_ + ")";
    case State::kOff: return "off";
  }
  return "";
}

Result<GroupedDump> LeakProfile::Fetch(const DumpAddress& where, const DumpLimits& limits, std::string* note,
                                       std::string* text) {
  note->clear();
  auto dump = FetchGroupedDump(where, limits, text);
  // A server that answers any path (a catch-all page) serves no profile either.
  if (dump.ok() && dump->format.empty()) {
    dump = Status::Error("dump GET " + where.url + ": answered, but with no goroutine dump");
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (dump.ok()) {
    state_ = State::kServed;
    return dump;
  }
  const std::string& why = dump.status().message();
  if (why.find(": status 404") != std::string::npos || why.find("with no goroutine dump") != std::string::npos) {
    state_ = State::kAbsent;
    absent_because_ = why;
    if (!noted_) {
      noted_ = true;
      *note = "the target serves no goroutineleak profile (" + why +
              "): Go 1.26 with GOEXPERIMENT=goroutineleakprofile and Go 1.27+ do; proven leaks are not "
              "looked for, the goroutine dump alone is judged";
    }
  }
  return dump;
}

}  // namespace leakprobe
