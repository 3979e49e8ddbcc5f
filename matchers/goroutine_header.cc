#include "matchers/goroutine_header.h"

#include "matchers/labels.h"
#include "matchers/text_scan.h"

namespace leakprobe {

namespace {

// Where the "]" that closes the state list is, skipping quoted label text (Go 1.26 puts
// labels inside the brackets); npos when none does.
size_t StateEnd(std::string_view s) { return FindOutsideQuotes(s, "]"); }

// Where " labels:{" starts outside quotes (Go 1.26), or npos.
size_t InnerLabelsStart(std::string_view s) {
  if (s.find(" labels:{") == std::string_view::npos) return std::string_view::npos;  // the usual case
  return FindOutsideQuotes(s, " labels:{");
}

void ReadLabels(std::string_view text, Goroutine* g, std::string* problem) {
  if (!ParseLabels(text, &g->labels)) {
    std::string shown(text.substr(0, 60));
    if (text.size() > 60) shown += "...";
    *problem = "unreadable labels " + shown;
  }
}

// "chan send (leaked)", "running (scan)", "chan receive (durable)": markers the runtime
// appends to the wait reason, in this order. The state keeps only the reason.
void ReadState(std::string_view item, Goroutine* g) {
  while (!item.empty() && item.back() == ')') {
    if (EndsWith(item, " (leaked)")) {
      g->leaked = true;
      item.remove_suffix(9);
    } else if (EndsWith(item, " (scan)")) {
      item.remove_suffix(7);  // the GC is scanning it this moment: not part of its identity
    } else if (EndsWith(item, " (durable)")) {
      g->durable = true;
      item.remove_suffix(10);
    } else {
      break;  // part of the reason: "select (no cases)"
    }
  }
  g->state.assign(item.data(), item.size());
}

void ReadItem(std::string_view item, Goroutine* g) {
  int64_t n;
  std::string_view num = item;
  if (TakeNumber(&num, &n) && (num == " minutes" || num == " minute")) {
    g->wait_minutes = n > INT32_MAX ? INT32_MAX : static_cast<int>(n);
  } else if (item == "locked to thread") {
    g->locked_to_thread = true;
  } else if (StartsWith(item, "synctest bubble ")) {
    std::string_view id = item.substr(16);
    if (TakeNumber(&id, &n) && id.empty()) g->synctest_bubble = n;
  } else if (item == "synctest") {
    if (g->synctest_bubble < 0) g->synctest_bubble = 0;  // Go 1.24 did not number bubbles
  }
  // Anything else a later Go adds says nothing a leak check needs.
}

}  // namespace

bool ParseGoroutineHeader(std::string_view line, Goroutine* g, std::string* problem) {
  problem->clear();
  if (!StartsWith(line, "goroutine ")) return false;
  std::string_view rest = line.substr(10);
  int64_t id;
  if (!TakeNumber(&rest, &id)) return false;
  if (!rest.empty() && rest[0] != ' ' && rest[0] != '[' && rest[0] != ':') return false;
  if (!StartsWith(rest, " [") && !StartsWith(rest, " gp=") && !StartsWith(rest, " m=") &&
      !StartsWith(rest, "[") && !EndsWith(rest, ":")) {
    return false;  // "goroutine 5 exited": prose, not a header
  }
  g->id = id;

  // " gp=0xc0000061c0 m=0 mp=0x6e6ec0": where it ran; nothing a check needs.
  while (StartsWith(rest, " gp=") || StartsWith(rest, " m=") || StartsWith(rest, " mp=")) {
    size_t next = rest.find(' ', 1);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next);
  }
  if (StartsWith(rest, " ")) rest.remove_prefix(1);
  if (rest.empty() || rest[0] != '[') {
    *problem = "no \"[\" opens the state";
    return true;
  }
  rest.remove_prefix(1);
  size_t close = StateEnd(rest);
  std::string_view inside = rest.substr(0, close);
  if (close == std::string_view::npos) {
    *problem = "no \"]\" closes the state";
    if (EndsWith(inside, ":")) inside.remove_suffix(1);
    rest = std::string_view();
  } else {
    rest = rest.substr(close + 1);
  }

  size_t inner = InnerLabelsStart(inside);
  if (inner != std::string_view::npos) {
    ReadLabels(inside.substr(inner + 8), g, problem);
    inside = inside.substr(0, inner);
  }
  // "chan receive, 5 minutes, locked to thread": the state, then items after ", ".
  size_t comma = inside.find(", ");
  ReadState(inside.substr(0, comma), g);
  while (comma != std::string_view::npos) {
    size_t start = comma + 2;
    comma = inside.find(", ", start);
    ReadItem(inside.substr(start, comma == std::string_view::npos ? comma : comma - start), g);
  }

  if (close == std::string_view::npos) return true;
  if (rest == ":") return true;
  if (StartsWith(rest, " {")) {
    std::string_view labels = rest.substr(1);
    size_t end = LabelsEnd(labels);
    if (end == std::string_view::npos) {
      ReadLabels(labels, g, problem);  // the pairs before the cut
      *problem = "labels do not close";
      return true;
    }
    ReadLabels(labels.substr(0, end + 1), g, problem);
    if (problem->empty() && labels.substr(end + 1) != ":") *problem = "unexpected text after the labels";
    return true;
  }
  *problem = rest.empty() ? "no \":\" ends the header" : "unexpected text after the state";
  return true;
}

}  // namespace leakprobe
