// "did you mean" suggestions for misspelled keys: "mehtod" -> "method". Pure; no I/O.
#ifndef LEAKPROBE_SCENARIOS_DID_YOU_MEAN_H_
#define LEAKPROBE_SCENARIOS_DID_YOU_MEAN_H_

#include <string>
#include <string_view>
#include <vector>

namespace leakprobe {

// Edit distance counting insertions, deletions, substitutions and swaps of two neighbours
// as one step each, case-insensitively: ("mehtod", "method") -> 1, ("URL", "url") -> 0.
int EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` when it is close enough to be a likely typo (at most
// 2 edits, and at most a third of the word's length, rounded up); "" otherwise.
// Ties go to the earlier candidate.
std::string DidYouMean(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_DID_YOU_MEAN_H_
