#include "scenarios/document_checks.h"

#include <algorithm>
#include <map>
#include <string>

namespace leakprobe {

namespace {

constexpr int kMaxDepth = 100;
constexpr long kMaxNodes = 1000000;

// Where the quote that opens `node` stands in `source`, or npos when it is not a quoted
// scalar. Marks count bytes after a UTF-8 byte order mark.
size_t OpeningQuote(const YAML::Node& node, std::string_view source) {
  if (!node.IsScalar() || node.Tag() != "!") return std::string_view::npos;
  size_t bom = source.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  if (node.Mark().pos < 0) return std::string_view::npos;
  size_t at = static_cast<size_t>(node.Mark().pos) + bom;
  if (at >= source.size() || (source[at] != '"' && source[at] != '\'')) {
    return std::string_view::npos;
  }
  return at;
}

size_t ClosingQuote(std::string_view s, size_t open) {
  const char q = s[open];
  for (size_t i = open + 1; i < s.size(); ++i) {
    if (q == '"' && s[i] == '\\') {
      ++i;
    } else if (s[i] == q) {
      if (q == '\'' && i + 1 < s.size() && s[i + 1] == '\'') {
        ++i;  // '' is an escaped ' inside single quotes
      } else {
        return i;
      }
    }
  }
  return std::string_view::npos;
}

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '.';
}

// "  - name: x" reads like a mapping entry; "see: the docs" in prose rarely starts a line.
bool LooksLikeKeyLine(std::string_view line) {
  size_t i = line.find_first_not_of(" \t");
  if (i == std::string_view::npos) return false;
  if (line.compare(i, 2, "- ") == 0) i = line.find_first_not_of(" \t", i + 2);
  if (i == std::string_view::npos) return false;
  size_t start = i;
  while (i < line.size() && IsKeyChar(line[i])) ++i;
  if (i == start || i >= line.size() || line[i] != ':') return false;
  return i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t' || line[i + 1] == '\r';
}

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

class Walker {
 public:
  Walker(std::string_view source, ErrorList* errors) : source_(source), errors_(errors) {}

  bool Walk(const YAML::Node& node, int depth) {
    if (++nodes_ > kMaxNodes) {
      errors_->Add(node.Mark(), "the document expands to more than a million values through aliases");
      return false;
    }
    if (depth > kMaxDepth) {
      errors_->Add(node.Mark(), "nested deeper than 100 levels (a recursive alias?)");
      return false;
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        CheckQuote(node);
        return true;
      case YAML::NodeType::Sequence:
        for (const YAML::Node& item : node) {
          if (!Walk(item, depth + 1)) return false;
        }
        return true;
      case YAML::NodeType::Map: {
        std::map<std::string, int> first_line;  // key -> 1-based line
        for (const auto& kv : node) {  // named: it->first would dangle (a proxy)
          if (kv.first.IsScalar()) {
            int line = kv.first.Mark().line + 1;
            auto [seen, inserted] = first_line.emplace(kv.first.Scalar(), line);
            if (!inserted) {
              errors_->Add(kv.first.Mark(), "duplicate key " + Quoted(kv.first.Scalar()) +
                                                  " (first at line " + std::to_string(seen->second) + ")");
            }
          }
          if (!Walk(kv.first, depth + 1) || !Walk(kv.second, depth + 1)) return false;
        }
        return true;
      }
      default:
        return true;
    }
  }

 private:
  void CheckQuote(const YAML::Node& node) {
    size_t open = OpeningQuote(node, source_);
    if (open == std::string_view::npos) return;
    const std::string quote(1, source_[open]);
    size_t close = ClosingQuote(source_, open);
    if (close == std::string_view::npos) {
      errors_->Add(node.Mark(), "unterminated string: this " + quote +
                                    " is never closed and swallows the rest of the file");
      return;
    }
    size_t first_break = source_.find('\n', open);
    if (first_break == std::string_view::npos || first_break > close) return;  // one line
    // Look at each swallowed line: the lines after the opening one, up to the closing quote.
    size_t line_start = first_break + 1;
    while (line_start <= close) {
      size_t line_end = source_.find('\n', line_start);
      if (line_end == std::string_view::npos) line_end = source_.size();
      std::string_view line = source_.substr(line_start, std::min(line_end, close) - line_start);
      if (LooksLikeKeyLine(line)) {
        int end_line = node.Mark().line + 1 +
                       static_cast<int>(std::count(source_.begin() + open, source_.begin() + close, '\n'));
        errors_->Add(node.Mark(), "unterminated string? this " + quote + " runs on to line " +
                                      std::to_string(end_line) + ", swallowing " +
                                      Quoted(Trim(line)));
        return;
      }
      line_start = line_end + 1;
    }
  }

  std::string_view source_;
  ErrorList* errors_;
  long nodes_ = 0;
};

}  // namespace

bool CheckDocument(const YAML::Node& root, std::string_view source, ErrorList* errors) {
  return Walker(source, errors).Walk(root, 0);
}

std::optional<LineCol> FindMultiLineQuote(std::string_view s) {
  enum { kPlain, kDouble, kSingle } state = kPlain;
  LineCol open{0, 0, 0};
  int line = 1, col = 1;
  for (size_t i = 0; i < s.size(); ++i, ++col) {
    const char c = s[i];
    const char prev = i > 0 ? s[i - 1] : '\n';
    if (state == kPlain) {
      if (c == '#' && (prev == ' ' || prev == '\t' || prev == '\n')) {
        while (i + 1 < s.size() && s[i + 1] != '\n') ++i;  // a comment
      } else if (c == '"' ||
                 (c == '\'' && std::string_view(" \t\n[{,").find(prev) != std::string_view::npos)) {
        state = c == '"' ? kDouble : kSingle;
        open = {line, col, c};
      }
    } else if (c == '\n') {
      return open;  // still open at the end of its line
    } else if (state == kDouble && c == '\\') {
      ++i, ++col;
    } else if (state == kDouble && c == '"') {
      state = kPlain;
    } else if (state == kSingle && c == '\'') {
      if (i + 1 < s.size() && s[i + 1] == '\'') ++i, ++col;  // '' is an escaped '
      else state = kPlain;
    }
    if (c == '\n') ++line, col = 0;
  }
  if (state != kPlain) return open;
  return std::nullopt;
}

}  // namespace leakprobe
