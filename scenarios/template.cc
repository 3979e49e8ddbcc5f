#include "scenarios/template.h"

#include <algorithm>

namespace leakprobe {

namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '-' || c == '.';
}

// Quotes `text` for an error message, shortened so a large body cannot flood the output.
std::string Quote(std::string_view text) {
  constexpr size_t kMax = 80;
  if (text.size() <= kMax) return "\"" + std::string(text) + "\"";
  return "\"" + std::string(text.substr(0, kMax - 3)) + "...\"";
}

// One piece of a template: literal text, or a variable reference.
struct Piece {
  bool is_var = false;
  std::string text;  // the literal, or the variable's name
};

// Splits `text` into pieces; the one tokenizer that Expand, Check and Names share so
// they can never disagree about what a reference is. `lenient` keeps a malformed "${"
// as literal text instead of failing (for TemplateNames).
Result<std::vector<Piece>> Tokenize(std::string_view text, bool lenient) {
  std::vector<Piece> pieces;
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c != '$') {
      literal += c;
      ++i;
      continue;
    }
    if (text.compare(i, 3, "$${") == 0) {  // escape: a literal "${"
      literal += "${";
      i += 3;
      continue;
    }
    if (text.compare(i, 2, "${") != 0) {  // a lone "$" is literal
      literal += c;
      ++i;
      continue;
    }
    size_t name_start = i + 2;
    size_t end = name_start;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    bool malformed = end >= text.size() || text[end] != '}' || end == name_start;
    if (malformed && lenient) {
      literal += "${";
      i += 2;
      continue;
    }
    if (end >= text.size() || text[end] != '}') {
      return Status::Error("unterminated \"${\" in " + Quote(text));
    }
    if (end == name_start) {
      return Status::Error("empty variable name \"${}\" in " + Quote(text));
    }
    if (!literal.empty()) pieces.push_back({false, std::move(literal)});
    literal.clear();
    pieces.push_back({true, std::string(text.substr(name_start, end - name_start))});
    i = end + 1;
  }
  if (!literal.empty()) pieces.push_back({false, std::move(literal)});
  return pieces;
}

}  // namespace

Result<std::string> ExpandTemplate(std::string_view text, const VarLookup& lookup) {
  Result<std::vector<Piece>> pieces = Tokenize(text, /*lenient=*/false);
  if (!pieces.ok()) return pieces.status();
  std::string out;
  out.reserve(text.size());
  for (const Piece& piece : pieces.value()) {
    if (!piece.is_var) {
      out += piece.text;
      continue;
    }
    std::optional<std::string> value = lookup(piece.text);
    if (!value) return Status::Error("undefined variable \"${" + piece.text + "}\"");
    out += *value;
  }
  return out;
}

Status CheckTemplate(std::string_view text) {
  Result<std::vector<Piece>> pieces = Tokenize(text, /*lenient=*/false);
  return pieces.ok() ? Status::Ok() : pieces.status();
}

bool IsVariableName(std::string_view name) {
  if (name.empty() || name[0] == '-' || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (c == '.' || !IsNameChar(c)) return false;
  }
  return true;
}

std::vector<std::string> TemplateNames(std::string_view text) {
  std::vector<std::string> names;
  Result<std::vector<Piece>> pieces = Tokenize(text, /*lenient=*/true);
  for (const Piece& piece : pieces.value()) {
    if (piece.is_var && std::find(names.begin(), names.end(), piece.text) == names.end()) {
      names.push_back(piece.text);
    }
  }
  return names;
}

}  // namespace leakprobe
