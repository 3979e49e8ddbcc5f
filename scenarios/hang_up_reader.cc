#include "scenarios/hang_up_reader.h"

#include <string>

namespace leakprobe {

namespace {

const std::vector<std::string_view> kHangUpKeys = {"after", "at", "messages", "how", "stall_for"};

std::string JoinHows(const std::vector<HangUpSpec::How>& hows) {
  std::string out;
  for (HangUpSpec::How h : hows) out += (out.empty() ? "" : ", ") + std::string(HowName(h));
  return out;
}

}  // namespace

const std::vector<HangUpSpec::How>& HttpHows() {
  static const std::vector<HangUpSpec::How> hows = {HangUpSpec::How::kClose, HangUpSpec::How::kReset,
                                                    HangUpSpec::How::kStall, HangUpSpec::How::kHalfClose};
  return hows;
}

std::optional<HangUpSpec> ReadHangUp(const Field& field, const std::vector<HangUpSpec::How>& hows,
                                     bool messages, ErrorList* errors) {
  MapReader map(field, kHangUpKeys, errors);
  if (!map.is_map()) return std::nullopt;
  size_t before = errors->size();
  HangUpSpec h;
  const Field* when = nullptr;
  for (const Field& f : map.fields()) {
    if (f.name != "after" && f.name != "at" && f.name != "messages") continue;
    if (when) {
      errors->Add(f.key_mark, Quoted(when->name) + " and " + Quoted(f.name) + " cannot both be set");
      continue;
    }
    when = &f;
    if (f.name == "after") {
      if (auto d = ReadPositiveDuration(f, errors)) h.after = *d;
      h.at = HangUpSpec::At::kAfter;
    } else if (f.name == "at") {
      auto at = ReadString(f, errors);
      if (!at) continue;
      if (*at == "sent") h.at = HangUpSpec::At::kSent;
      else if (*at == "status") h.at = HangUpSpec::At::kStatus;
      else if (*at == "body") h.at = HangUpSpec::At::kBody;
      else errors->Add(f.Mark(), "\"at\" must be one of sent, status, body (got " + Quoted(*at) + ")");
    } else {
      if (!messages) {
        errors->Add(f.key_mark, "\"messages\" goes with grpc and websocket steps");
        continue;
      }
      if (auto n = ReadInt(f, 1, 1 << 20, errors)) h.messages = static_cast<int>(*n);
      h.at = HangUpSpec::At::kMessages;
    }
  }
  if (!when) {
    errors->Add(map.mark(), messages ? "\"hang_up\" needs one of after, at or messages"
                                     : "\"hang_up\" needs after or at");
  }
  if (const Field* f = map.Find("how")) {
    if (auto how = ReadString(*f, errors)) {
      bool found = false;
      for (HangUpSpec::How candidate : hows) {
        if (*how == HowName(candidate)) {
          h.how = candidate;
          found = true;
        }
      }
      if (!found) {
        errors->Add(f->Mark(), "\"how\" must be one of " + JoinHows(hows) + " (got " + Quoted(*how) + ")");
      }
    }
  }
  if (const Field* f = map.Find("stall_for")) {
    if (h.how != HangUpSpec::How::kStall) errors->Add(f->key_mark, "\"stall_for\" goes with how: stall");
    else if (auto d = ReadPositiveDuration(*f, errors)) h.stall_for = *d;
  }
  if (errors->size() != before) return std::nullopt;
  return h;
}

}  // namespace leakprobe
