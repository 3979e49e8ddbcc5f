#include "wire/count_poll.h"

#include "wire/http_client.h"

namespace leakprobe {

std::string CountsUrl(const std::string& dump_url) {
  std::string origin, path;
  if (!SplitUrl(dump_url, &origin, &path)) return "";
  size_t q = path.find('?');
  if (q == std::string::npos) return "";
  std::string bare = path.substr(0, q);
  auto ends_with = [&bare](const std::string& tail) {
    return bare.size() >= tail.size() && bare.compare(bare.size() - tail.size(), tail.size(), tail) == 0;
  };
  if (!ends_with("/goroutine") && !ends_with("/goroutineleak")) return "";
  std::string query = "&" + path.substr(q + 1) + "&";
  size_t at = query.find("&debug=2&");
  if (at == std::string::npos) return "";
  query.replace(at, 9, "&debug=1&");
  return origin + bare + "?" + query.substr(1, query.size() - 2);
}

CountPoll::State CountPoll::state() const {
  std::lock_guard<std::mutex> lock(mu_);
  return state_;
}

Result<GroupedDump> CountPoll::Fetch(const DumpAddress& where, const DumpLimits& limits, std::string* note) {
  note->clear();
  auto dump = FetchGroupedDump(where, limits);
  bool absent = false;
  if (dump.ok() && dump->format != "debug=1") {
    absent = true;
    dump = Status::Error("dump GET " + where.url + ": answered, but not with a debug=1 profile");
  } else if (!dump.ok()) {
    absent = dump.status().message().find(": status 404") != std::string::npos;
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (dump.ok()) {
    state_ = State::kServed;
    return dump;
  }
  if (absent && state_ != State::kServed) {
    state_ = State::kAbsent;
    if (!noted_) {
      noted_ = true;
      *note = "per-stack counts are not served (" + dump.status().message() + "): polls take full dumps";
    }
  }
  return dump;
}

}  // namespace leakprobe
