#include "wire/target_gc.h"

#include "wire/count_poll.h"
#include "wire/http_client.h"

namespace leakprobe {

std::string GcUrl(const std::string& dump_url) {
  // The same rule as the count polls': net/http/pprof's goroutine profile, nothing else.
  const std::string counts = CountsUrl(dump_url);
  const size_t at = counts.rfind("/goroutine?");
  if (counts.empty() || at == std::string::npos) return "";
  return counts.substr(0, at) + "/heap?gc=1";
}

Status CollectGarbage(const DumpAddress& where, const DumpLimits& limits) {
  auto done = StreamDump(where, limits, [](std::string_view) { return true; });
  return done.ok() ? Status::Ok() : done.status();
}

}  // namespace leakprobe
