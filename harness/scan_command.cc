#include <cstdio>

#include <nlohmann/json.hpp>

#include "harness/commands.h"
#include "harness/dump_source.h"
#include "matchers/bucket.h"
#include "matchers/dump_parser.h"
#include "matchers/pattern.h"

namespace leakprobe {

namespace {

Status CompileFlags(const std::vector<std::string>& flags, std::vector<Pattern>* out) {
  for (const std::string& f : flags) {
    auto p = Pattern::FromFlag(f);
    if (!p.ok()) return p.status();
    out->push_back(p.value());
  }
  return Status::Ok();
}

bool AnyMatches(const std::vector<Pattern>& patterns, const Goroutine& g) {
  for (const Pattern& p : patterns) {
    if (p.Matches(g)) return true;
  }
  return false;
}

nlohmann::json FrameJson(const Frame& f) {
  return {{"func", f.func}, {"file", f.file}, {"line", f.line}, {"inlined", f.inlined}};
}

}  // namespace

int Scan(const ScanCommand& cmd) {
  std::vector<Pattern> suspects, ignores;
  Status s = CompileFlags(cmd.suspects, &suspects);
  if (s.ok()) s = CompileFlags(cmd.ignores, &ignores);
  if (!s.ok()) {
    std::fprintf(stderr, "leakprobe: %s\n", s.message().c_str());
    return kExitUsage;
  }

  // Suspects and the rest bucket apart, so a bucket is wholly one or the other. Only the
  // buckets are kept: a huge dump streams through.
  Bucketer suspect_buckets, other_buckets;
  int64_t total = 0, ignored = 0, suspect_count = 0;
  DumpParser parser([&](Goroutine& g) {
    total += g.count;
    if (AnyMatches(ignores, g)) {
      ignored += g.count;
      return;
    }
    if (AnyMatches(suspects, g)) {
      suspect_count += g.count;
      suspect_buckets.Add(g);
    } else {
      other_buckets.Add(g);
    }
  });
  s = ReadDumpSource(cmd.source, &parser);
  if (!s.ok()) {
    std::fprintf(stderr, "leakprobe: %s\n", s.message().c_str());
    return kExitUsage;
  }
  std::vector<Bucket> sus = suspect_buckets.Take();
  std::vector<Bucket> rest = other_buckets.Take();

  if (cmd.format == "json") {
    nlohmann::json out;
    out["source"] = cmd.source;
    out["format"] = parser.format();
    out["total"] = total;
    if (parser.declared_total() >= 0) out["declared_total"] = parser.declared_total();
    out["ignored"] = ignored;
    out["suspects"] = suspect_count;
    out["buckets"] = nlohmann::json::array();
    auto add = [&out](const std::vector<Bucket>& buckets, bool suspect) {
      for (const Bucket& b : buckets) {
        nlohmann::json j;
        j["count"] = b.count;
        j["state"] = b.sample.state;
        j["ids"] = b.ids;
        j["suspect"] = suspect;
        j["wait_minutes"] = {{"min", b.min_wait_minutes}, {"max", b.max_wait_minutes}};
        j["locked_to_thread"] = b.sample.locked_to_thread;
        if (!b.sample.labels.empty()) j["labels"] = b.sample.labels;
        j["frames"] = nlohmann::json::array();
        for (const Frame& f : b.sample.frames) j["frames"].push_back(FrameJson(f));
        j["frames_elided"] = b.sample.frames_elided;
        if (b.sample.has_created_by) {
          j["created_by"] = FrameJson(b.sample.created_by);
          if (b.sample.parent_id >= 0) j["created_by"]["parent_id"] = b.sample.parent_id;
        }
        out["buckets"].push_back(std::move(j));
      }
    };
    add(sus, true);
    add(rest, false);
    out["warnings"] = parser.warnings();
    // Dumps hold any bytes; replace what is not UTF-8 rather than fail.
    std::string text = out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    std::printf("%s\n", text.c_str());
  } else {
    std::printf("%lld goroutines in %zu buckets (%s)", static_cast<long long>(total),
                sus.size() + rest.size(), parser.format().empty() ? "no dump found" : parser.format().c_str());
    if (ignored) std::printf(", %lld ignored", static_cast<long long>(ignored));
    std::printf("\n\n");
    for (const Bucket& b : sus) std::printf("SUSPECT %s\n", FormatBucket(b).c_str());
    for (const Bucket& b : rest) std::printf("%s\n", FormatBucket(b).c_str());
    if (!suspects.empty()) {
      std::printf("%lld goroutines match --suspect\n", static_cast<long long>(suspect_count));
    }
  }
  for (const std::string& w : parser.warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return suspect_count > 0 ? kExitFailed : kExitPassed;
}

}  // namespace leakprobe
