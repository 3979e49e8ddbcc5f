#include "scenarios/did_you_mean.h"

#include <algorithm>
#include <cctype>

namespace leakprobe {

int EditDistance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
  const size_t n = a.size(), m = b.size();
  // Optimal string alignment distance; three rows are enough for the swap rule.
  std::vector<int> prev2(m + 1), prev(m + 1), cur(m + 1);
  for (size_t j = 0; j <= m; ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= n; ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= m; ++j) {
      int cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
          lower(a[i - 2]) == lower(b[j - 1])) {
        cur[j] = std::min(cur[j], prev2[j - 2] + 1);
      }
    }
    std::swap(prev2, prev);
    std::swap(prev, cur);
  }
  return prev[m];
}

std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates) {
  const int limit = std::min<int>(2, static_cast<int>((word.size() + 2) / 3));
  int best = limit + 1;
  std::string_view choice;
  for (std::string_view candidate : candidates) {
    int d = EditDistance(word, candidate);
    if (d < best) {
      best = d;
      choice = candidate;
    }
  }
  return std::string(choice);
}

}  // namespace leakprobe
