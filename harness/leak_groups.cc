#include "harness/leak_groups.h"

#include "matchers/growth.h"
#include "matchers/verdict.h"

namespace leakprobe {
namespace {

std::string Where(const Frame& f) {
  if (f.file.empty()) return f.func;
  return f.func + " " + f.file + (f.line > 0 ? ":" + std::to_string(f.line) : "");
}

}  // namespace

std::vector<LeakGroup> LeakGroupsOf(const std::vector<Bucket>& buckets) {
  std::vector<LeakGroup> groups;
  groups.reserve(buckets.size());
  for (const Bucket& b : buckets) {
    LeakGroup g;
    g.function = NameOf(b.sample);
    g.count = b.count;
    g.ids = b.ids;
    g.state = b.sample.state;
    g.wait_minutes = b.max_wait_minutes;
    for (const Frame& f : b.sample.frames) g.stack.push_back(Where(f));
    if (b.sample.has_created_by) g.created_by = Where(b.sample.created_by);
    g.proven = b.sample.leaked;
    g.why = g.proven ? "proven" : "leaked";
    g.labels = b.sample.labels;
    g.signature = GrowthSignature(b.sample);
    groups.push_back(std::move(g));
  }
  return groups;
}

}  // namespace leakprobe
