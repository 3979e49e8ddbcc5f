#include "matchers/bucket.h"

#include <algorithm>
#include <charconv>
#include <utility>

namespace leakprobe {

namespace {
void AppendNumber(int64_t n, std::string* out) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, n);
  out->append(buf, r.ptr);
}

void AppendKey(const Goroutine& g, std::string* key) {
  key->clear();
  key->append(g.state);
  key->push_back(g.locked_to_thread ? '\1' : '\2');
  for (const Frame& f : g.frames) {
    key->append(f.func);
    key->push_back('\0');
    key->append(f.file);
    key->push_back(':');
    AppendNumber(f.line, key);
    key->push_back('\n');
  }
  if (g.has_created_by) {
    key->append("created by ");
    key->append(g.created_by.func);
    key->push_back('\0');
    key->append(g.created_by.file);
    AppendNumber(g.created_by.line, key);
  }
  for (const auto& [k, v] : g.labels) {
    key->push_back('\3');
    key->append(k);
    key->push_back('\0');
    key->append(v);
  }
  // A proven leak is kept apart from the same stack that the runtime did not prove leaked.
  if (g.leaked) key->push_back('\4');
  if (g.durable) key->push_back('\5');
}
}  // namespace

std::string StackKey(const Goroutine& g) {
  std::string key;
  AppendKey(g, &key);
  return key;
}

void Bucketer::Add(Goroutine& g) {
  AppendKey(g, &key_);
  auto it = index_.find(key_);
  Bucket* b;
  if (it == index_.end()) {
    index_.emplace(key_, buckets_.size());
    buckets_.emplace_back();
    b = &buckets_.back();
    b->min_wait_minutes = b->max_wait_minutes = g.wait_minutes;
    int64_t id = g.id;
    int64_t count = g.count;
    int wait = g.wait_minutes;
    b->sample = std::move(g);
    b->count = count;
    if (id >= 0) {
      b->ids.push_back(id);
      b->waits.push_back(wait);
    }
    return;
  }
  b = &buckets_[it->second];
  b->count += g.count;
  if (g.id >= 0) {
    b->ids.push_back(g.id);
    b->waits.push_back(g.wait_minutes);
  }
  b->min_wait_minutes = std::min(b->min_wait_minutes, g.wait_minutes);
  b->max_wait_minutes = std::max(b->max_wait_minutes, g.wait_minutes);
}

std::vector<Bucket> Bucketer::Take() {
  std::vector<Bucket> out;
  out.swap(buckets_);
  index_.clear();
  SortBuckets(&out);
  for (Bucket& b : out) SortIds(&b);
  return out;
}

void SortIds(Bucket* b) {
  if (std::is_sorted(b->ids.begin(), b->ids.end())) return;
  std::vector<std::pair<int64_t, int>> both(b->ids.size());
  for (size_t i = 0; i < both.size(); ++i) both[i] = {b->ids[i], b->waits[i]};
  std::sort(both.begin(), both.end());
  for (size_t i = 0; i < both.size(); ++i) {
    b->ids[i] = both[i].first;
    b->waits[i] = both[i].second;
  }
}

void SortBuckets(std::vector<Bucket>* buckets) {
  // Largest first; ties by their top frame's function, then by the whole stack (files,
  // lines, creator), so the order never follows the dump's, which changes from run to run:
  // two helpers started from neighbouring lines of one function must list the same way in
  // every report, or two runs of one leak do not compare.
  std::vector<std::string> keys(buckets->size());
  std::vector<size_t> order(buckets->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto name = [](const Bucket& b) -> const std::string& {
    static const std::string kNone;
    return b.sample.frames.empty() ? kNone : b.sample.frames[0].func;
  };
  auto key = [&](size_t i) -> const std::string& {
    if (keys[i].empty()) keys[i] = StackKey((*buckets)[i].sample);
    return keys[i];
  };
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Bucket& a = (*buckets)[x];
    const Bucket& b = (*buckets)[y];
    if (a.count != b.count) return a.count > b.count;
    if (name(a) != name(b)) return name(a) < name(b);
    return key(x) < key(y);
  });
  std::vector<Bucket> sorted;
  sorted.reserve(buckets->size());
  for (size_t i : order) sorted.push_back(std::move((*buckets)[i]));
  buckets->swap(sorted);
}

std::vector<Bucket> BucketGoroutines(std::vector<Goroutine> goroutines) {
  Bucketer bucketer;
  for (Goroutine& g : goroutines) bucketer.Add(g);
  return bucketer.Take();
}

std::string FormatBucket(const Bucket& b) {
  std::string out = std::to_string(b.count) + (b.count == 1 ? " goroutine [" : " goroutines [");
  if (b.sample.state.empty()) {
    out += b.sample.leaked ? "leaked" : "unknown state";  // debug=1 records show no state
  } else {
    out += b.sample.state + (b.sample.leaked ? " (leaked)" : "");
  }
  if (b.sample.durable) out += " (durable)";
  if (b.max_wait_minutes > 0) {
    out += ", ";
    if (b.min_wait_minutes != b.max_wait_minutes) out += std::to_string(b.min_wait_minutes) + "-";
    out += std::to_string(b.max_wait_minutes) + " minutes";
  }
  if (b.sample.locked_to_thread) out += ", locked to thread";
  out += "]";
  if (!b.ids.empty()) {
    out += b.ids.size() == 1 ? ", id " : ", ids ";
    const size_t kMaxIds = 20;
    for (size_t i = 0; i < b.ids.size() && i < kMaxIds; ++i) {
      if (i) out += ", ";
      out += std::to_string(b.ids[i]);
    }
    if (b.ids.size() > kMaxIds) out += ", ... (" + std::to_string(b.ids.size() - kMaxIds) + " more)";
  }
  if (!b.sample.labels.empty()) out += ", labels " + FormatLabels(b.sample.labels);
  out += "\n";
  if (b.sample.stack_unavailable) out += "    (running on another thread; stack unavailable)\n";
  for (const Frame& f : b.sample.frames) {
    out += "    " + f.func + (f.inlined ? "(...) (inlined)\n" : "(...)\n");
    if (!f.file.empty()) out += "        " + f.file + ":" + std::to_string(f.line) + "\n";
  }
  if (b.sample.frames_elided) out += "    ...additional frames elided...\n";
  if (b.sample.has_created_by) {
    out += "    created by " + b.sample.created_by.func;
    if (b.sample.parent_id >= 0) out += " in goroutine " + std::to_string(b.sample.parent_id);
    out += "\n";
    if (!b.sample.created_by.file.empty()) {
      out += "        " + b.sample.created_by.file + ":" +
             std::to_string(b.sample.created_by.line) + "\n";
    }
  }
  return out;
}

}  // namespace leakprobe
