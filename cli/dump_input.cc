#include "cli/dump_input.h"

#include <cstdio>

#include "cli/commands.h"

namespace leakprobe {

namespace {
Status CompileEach(const std::vector<std::string>& flags, std::vector<Pattern>* out) {
  for (const std::string& f : flags) {
    auto p = Pattern::FromFlag(f);
    if (!p.ok()) return p.status();
    out->push_back(p.value());
  }
  return Status::Ok();
}
}  // namespace

Result<LeakRules> RulesFromFlags(const std::vector<std::string>& suspect_flags,
                                 const std::vector<std::string>& ignore_flags, int min_wait_minutes,
                                 bool builtin_ignores) {
  LeakRules rules;
  Status s = CompileEach(suspect_flags, &rules.suspects);
  if (s.ok()) s = CompileEach(ignore_flags, &rules.ignore);
  if (!s.ok()) return s;
  rules.min_wait_minutes = min_wait_minutes;
  rules.builtin_ignores = builtin_ignores;
  return rules;
}

Status ReadDumpSource(const std::string& source, const DumpLimits& limits, DumpParser* parser,
                      std::vector<std::string>* warnings) {
  auto where = ParseDumpSource(source);
  if (!where.ok()) return where.status();
  auto cut = StreamDump(where.value(), limits, [parser](std::string_view chunk) {
    parser->Feed(chunk);
    return true;
  });
  if (!cut.ok()) return cut.status();
  parser->Finish();
  warnings->clear();
  if (!cut->empty()) warnings->push_back(cut.value());
  warnings->insert(warnings->end(), parser->warnings().begin(), parser->warnings().end());
  return Status::Ok();
}

int UsageError(const Status& status) {
  std::fprintf(stderr, "leakprobe: %s\n", status.message().c_str());
  return kExitUsage;
}

}  // namespace leakprobe
