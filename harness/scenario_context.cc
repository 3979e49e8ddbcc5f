#include "harness/scenario_context.h"

#include <cstdio>
#include <cstdlib>

#include "harness/dump_source.h"
#include "matchers/dump_parser.h"
#include "scenarios/template.h"

namespace leakprobe {

void ScenarioContext::Log(const std::string& text) {
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "[%8.3fs] ", s);
  log += stamp + text + "\n";
}

Result<std::string> ScenarioContext::Expand(const std::string& text) const {
  return ExpandTemplate(text, [this](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it != vars.end()) return it->second;
    if (name.rfind("env.", 0) == 0) {
      const char* v = std::getenv(name.c_str() + 4);
      if (v) return std::string(v);
    }
    return std::nullopt;
  });
}

Result<Dump> ScenarioContext::TakeDump() const {
  if (dump_url.empty()) return Status::Error("the suite has no dump.url to take a dump from");
  auto text = FetchDump(dump_url, dump_socket, Millis(30000));
  if (!text.ok()) return text.status();
  return ParseDump(text.value());
}

}  // namespace leakprobe
