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
