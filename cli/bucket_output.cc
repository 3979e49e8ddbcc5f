#include "cli/bucket_output.h"

#include <cstdio>

#include "cli/commands.h"

namespace leakprobe {

namespace {
nlohmann::json FrameJson(const Frame& f) {
  return {{"func", f.func},     {"package", f.Package()}, {"receiver", f.Receiver()},
          {"file", f.file},     {"line", f.line},         {"inlined", f.inlined}};
}
}  // namespace

nlohmann::json BucketJson(const Bucket& b, bool suspect) {
  nlohmann::json j;
  j["count"] = b.count;
  j["state"] = b.sample.state;
  j["ids"] = b.ids;
  j["suspect"] = suspect;
  j["wait_minutes"] = {{"min", b.min_wait_minutes}, {"max", b.max_wait_minutes}};
  j["locked_to_thread"] = b.sample.locked_to_thread;
  j["leaked"] = b.sample.leaked;
  if (!b.sample.labels.empty()) {
    j["labels"] = nlohmann::json::object();
    for (const auto& [k, v] : b.sample.labels) j["labels"][k] = v;
  }
  j["frames"] = nlohmann::json::array();
  for (const Frame& f : b.sample.frames) j["frames"].push_back(FrameJson(f));
  j["frames_elided"] = b.sample.frames_elided;
  if (b.sample.has_created_by) {
    j["created_by"] = FrameJson(b.sample.created_by);
    if (b.sample.parent_id >= 0) j["created_by"]["parent_id"] = b.sample.parent_id;
  }
  return j;
}

std::string JsonText(const nlohmann::json& j) {
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

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

Status CompileFlags(const std::vector<std::string>& suspect_flags, const std::vector<std::string>& ignore_flags,
                    std::vector<Pattern>* suspects, std::vector<Pattern>* ignores) {
  Status s = CompileEach(suspect_flags, suspects);
  return s.ok() ? CompileEach(ignore_flags, ignores) : s;
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

bool AnyMatches(const std::vector<Pattern>& patterns, const Goroutine& g) {
  for (const Pattern& p : patterns) {
    if (p.Matches(g)) return true;
  }
  return false;
}

}  // namespace leakprobe
