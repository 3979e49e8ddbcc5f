// A set of goroutine ids, e.g. those alive at the baseline: a sorted vector, 8 bytes an id
// (a hash set takes five times that, and a baseline may hold millions). Pure; immutable once
// built, so one set may be shared between threads.
#ifndef LEAKPROBE_MATCHERS_ID_SET_H_
#define LEAKPROBE_MATCHERS_ID_SET_H_

#include <algorithm>
#include <cstdint>
#include <vector>

namespace leakprobe {

class IdSet {
 public:
  IdSet() = default;
  // Takes any order and duplicates.
  explicit IdSet(std::vector<int64_t> ids) : ids_(std::move(ids)) {
    std::sort(ids_.begin(), ids_.end());
    ids_.erase(std::unique(ids_.begin(), ids_.end()), ids_.end());
  }
  bool Contains(int64_t id) const { return std::binary_search(ids_.begin(), ids_.end(), id); }
  size_t size() const { return ids_.size(); }
  bool empty() const { return ids_.empty(); }
  const std::vector<int64_t>& ids() const { return ids_; }  // ascending

 private:
  std::vector<int64_t> ids_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_MATCHERS_ID_SET_H_
