#include "scenarios/hang_up.h"

namespace leakprobe {

const char* HowName(HangUpSpec::How how) {
  switch (how) {
    case HangUpSpec::How::kClose: return "close";
    case HangUpSpec::How::kReset: return "reset";
    case HangUpSpec::How::kStall: return "stall";
    case HangUpSpec::How::kHalfClose: return "half_close";
    case HangUpSpec::How::kCancel: return "cancel";
    case HangUpSpec::How::kKeepOpen: return "keep_open";
    case HangUpSpec::How::kCloseFrame: return "close_frame";
  }
  return "?";
}

const char* AtName(HangUpSpec::At at) {
  switch (at) {
    case HangUpSpec::At::kAfter: return "after";
    case HangUpSpec::At::kSent: return "sent";
    case HangUpSpec::At::kStatus: return "status";
    case HangUpSpec::At::kBody: return "body";
    case HangUpSpec::At::kMessages: return "messages";
  }
  return "?";
}

std::string DescribeHangUp(const HangUpSpec& h) {
  std::string how = HowName(h.how);
  if (h.how == HangUpSpec::How::kStall) how += " " + FormatDuration(h.stall_for);
  switch (h.at) {
    case HangUpSpec::At::kAfter: return how + " after " + FormatDuration(h.after);
    case HangUpSpec::At::kMessages:
      return how + " after " + std::to_string(h.messages) +
             (h.messages == 1 ? " message" : " messages");
    default: return how + " at " + AtName(h.at);
  }
}

}  // namespace leakprobe

namespace leakprobe {

namespace {

std::vector<std::string> Words(const std::string& text) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < text.size()) {
    size_t j = text.find(' ', i);
    if (j == std::string::npos) j = text.size();
    if (j > i) out.push_back(text.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

}  // namespace

Result<HangUpSpec> ParseFault(const std::string& text) {
  const Status bad = Status::Error(
      "want HOW at sent|status|body or HOW after DURATION, with HOW one of close, reset, stall [DURATION], "
      "half_close");
  std::vector<std::string> w = Words(text);
  HangUpSpec h;
  size_t i = 0;
  if (w.empty()) return bad;
  if (w[0] == "close") h.how = HangUpSpec::How::kClose;
  else if (w[0] == "reset") h.how = HangUpSpec::How::kReset;
  else if (w[0] == "stall") h.how = HangUpSpec::How::kStall;
  else if (w[0] == "half_close") h.how = HangUpSpec::How::kHalfClose;
  else return bad;
  ++i;
  if (h.how == HangUpSpec::How::kStall && i < w.size() && w[i] != "at" && w[i] != "after") {
    auto d = ParseDuration(w[i]);
    if (!d.ok() || d.value().count() <= 0) return bad;
    h.stall_for = d.value();
    ++i;
  }
  if (i + 2 != w.size()) return bad;
  if (w[i] == "at") {
    if (w[i + 1] == "sent") h.at = HangUpSpec::At::kSent;
    else if (w[i + 1] == "status") h.at = HangUpSpec::At::kStatus;
    else if (w[i + 1] == "body") h.at = HangUpSpec::At::kBody;
    else return bad;
  } else if (w[i] == "after") {
    auto d = ParseDuration(w[i + 1]);
    if (!d.ok() || d.value().count() <= 0) return bad;
    h.at = HangUpSpec::At::kAfter;
    h.after = d.value();
  } else {
    return bad;
  }
  return h;
}

const std::vector<HangUpSpec>& DefaultSweepFaults() {
  static const std::vector<HangUpSpec> faults = [] {
    std::vector<HangUpSpec> out;
    for (const char* text : {"close at sent", "close at status", "reset at body", "stall 2s at status"}) {
      out.push_back(ParseFault(text).value());
    }
    return out;
  }();
  return faults;
}

}  // namespace leakprobe
