#include "matchers/goroutine.h"

namespace leakprobe {

namespace {

// Where the name after the import path starts: past the last '/', then past the first '.'.
size_t NameStart(const std::string& func) {
  size_t slash = func.rfind('/');
  size_t dot = func.find('.', slash == std::string::npos ? 0 : slash);
  return dot == std::string::npos ? std::string::npos : dot + 1;
}

bool IsClosureName(const std::string& part) {
  for (const char* prefix : {"func", "gowrap"}) {
    size_t n = std::char_traits<char>::length(prefix);
    if (part.size() > n && part.compare(0, n, prefix) == 0 &&
        part.find_first_not_of("0123456789", n) == std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string Frame::Package() const {
  size_t start = NameStart(func);
  std::string pkg = start == std::string::npos ? func : func.substr(0, start - 1);
  // The linker escapes dots in an import path's last element: "gopkg.in/yaml%2ev2".
  for (size_t at; (at = pkg.find("%2e")) != std::string::npos;) pkg.replace(at, 3, ".");
  return pkg;
}

std::string Frame::Receiver() const {
  size_t start = NameStart(func);
  if (start == std::string::npos) return "";
  std::string rest = func.substr(start);
  if (rest.compare(0, 2, "(*") == 0) {
    size_t close = rest.find(')');
    return close == std::string::npos ? "" : "*" + rest.substr(2, close - 2);
  }
  if (rest[0] == '(') {
    size_t close = rest.find(')');
    return close == std::string::npos ? "" : rest.substr(1, close - 1);
  }
  // The first dot outside generic type arguments ("Map[...]").
  size_t dot = std::string::npos;
  int depth = 0;
  for (size_t i = 0; i < rest.size() && dot == std::string::npos; ++i) {
    if (rest[i] == '[') ++depth;
    else if (rest[i] == ']') --depth;
    else if (rest[i] == '.' && depth == 0) dot = i;
  }
  if (dot == std::string::npos) return "";
  // "T.M" is a method; "f.func1" a closure inside f.
  std::string second = rest.substr(dot + 1, rest.find('.', dot + 1) - dot - 1);
  if (IsClosureName(second)) return "";
  return rest.substr(0, dot);
}

}  // namespace leakprobe
