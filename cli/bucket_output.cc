#include "cli/bucket_output.h"

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

}  // namespace leakprobe
