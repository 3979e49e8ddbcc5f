#include "scenarios/loader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <sstream>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "scenarios/document_checks.h"
#include "scenarios/suite_reader.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

namespace {

Status TooBig(const std::string& file, size_t bytes) {
  return Status::Error(file + ": too big: " + std::to_string(bytes) +
                       " bytes (scenario files are limited to 4 MiB)");
}

Status CannotRead(const std::string& path, int err) {
  return Status::Error(path + ": cannot read: " + std::strerror(err));
}

// Records events nowhere; only where each document starts.
class DocumentCounter : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

// Where the first thing in `text` stands that is not blank, a comment, a directive or a
// document marker; nullopt when there is none.
std::optional<YAML::Mark> FirstContent(const std::string& text) {
  YAML::Mark mark;
  mark.line = 0;
  for (size_t line_start = 0; line_start < text.size(); ++mark.line) {
    size_t end = std::min(text.find('\n', line_start), text.size());
    size_t at = text.find_first_not_of(" \t\r", line_start);
    if (at < end && text[at] != '#' && text[at] != '%' && text.compare(at, 3, "---") != 0 &&
        text.compare(at, 3, "...") != 0) {
      mark.pos = static_cast<int>(at);
      mark.column = static_cast<int>(at - line_start);
      return mark;
    }
    line_start = end + 1;
  }
  return std::nullopt;
}

// A second document needs a "---" or "..." at the start of a line.
bool HasDocumentMarker(const std::string& text) {
  return text.compare(0, 3, "---") == 0 || text.compare(0, 3, "...") == 0 ||
         text.find("\n---") != std::string::npos || text.find("\n...") != std::string::npos;
}

// The file's one document, or nullopt after recording why there is none. Throws what
// yaml-cpp throws. Not YAML::LoadAll: in 0.7 it loops forever, allocating, on a document
// that starts with "," (jbeder/yaml-cpp#1040, fixed upstream by #1319). So the first
// document comes from Load and the others are only counted, by at most two passes of an
// event parser, and only when a document marker makes a second one possible.
std::optional<YAML::Node> ParseFirstDocument(const std::string& text, ErrorList* errors) {
  YAML::Node root = YAML::Load(text);
  if (root.IsNull()) {
    std::optional<YAML::Mark> content = FirstContent(text);
    if (!content) {
      errors->AddAt(1, 1, "empty file: expected a map with a \"scenarios\" list");
      return std::nullopt;
    }
    if (text[content->pos] == ',') {  // yaml-cpp reads a stray "," as an empty document
      errors->Add(*content, "invalid YAML: unexpected \",\"");
      return std::nullopt;
    }
  }
  if (HasDocumentMarker(text)) {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentCounter counter;
    for (int i = 0; i < 2 && parser.HandleNextDocument(counter); ++i) {
    }
    if (counter.starts.size() > 1) {
      errors->Add(counter.starts[1], "a scenario file holds one YAML document; this is a second one");
    }
  }
  return root;
}

// ParseFirstDocument with yaml-cpp's exceptions turned into errors.
std::optional<YAML::Node> LoadDocument(const std::string& text, ErrorList* errors) {
  try {
    return ParseFirstDocument(text, errors);
  } catch (const YAML::ParserException& e) {
    errors->Add(e.mark, "invalid YAML: " + e.msg);
    // A runaway quote makes yaml-cpp fail far below the real mistake; point at it too.
    std::optional<LineCol> quote = FindMultiLineQuote(text);
    if (quote && quote->line <= e.mark.line) {
      errors->AddAt(quote->line, quote->col,
                    std::string("this ") + quote->quote +
                        " is not closed on its line: an unterminated string?");
    }
  } catch (const YAML::Exception& e) {
    errors->AddAt(1, 1, std::string("invalid YAML: ") + e.what());
  }
  return std::nullopt;
}

}  // namespace

Result<Suite> LoadSuiteFile(const std::string& path, const std::vector<std::string>& extra_vars) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return CannotRead(path, errno);
  struct stat st {};
  bool regular = false;
  if (::fstat(fd, &st) == 0) {
    regular = S_ISREG(st.st_mode);
    if (S_ISDIR(st.st_mode)) {
      ::close(fd);
      return CannotRead(path, EISDIR);
    }
  }
  // Read up to one byte past the limit rather than trusting st_size: pipes and /dev/stdin
  // have none.
  std::string text;
  char buf[64 * 1024];
  while (text.size() <= kMaxSuiteFileBytes) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return CannotRead(path, err);
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  if (text.size() > kMaxSuiteFileBytes) {
    size_t reported = regular ? static_cast<size_t>(st.st_size) : text.size();
    return TooBig(path, reported);
  }
  return ParseSuite(text, path, extra_vars);
}

Result<Suite> ParseSuite(const std::string& text, const std::string& file,
                         const std::vector<std::string>& extra_vars) {
  if (text.size() > kMaxSuiteFileBytes) return TooBig(file, text.size());
  ErrorList errors(file);
  VarCheck var_check;
  for (const std::string& name : extra_vars) var_check.DefineGlobal(name);
  errors.var_check = &var_check;
  const std::optional<YAML::Node> loaded = LoadDocument(text, &errors);
  if (!loaded) return Status::Error(errors.ToString());
  const YAML::Node& root = *loaded;
  Suite suite;
  try {
    // A tree too deep or too large to walk (a recursive alias) is not read any further.
    if (CheckDocument(root, text, &errors)) suite = ReadSuite(root, &errors);
  } catch (const YAML::Exception& e) {
    // The readers never call throwing accessors; this only turns a surprise into an error.
    errors.AddAt(1, 1, std::string("internal error reading YAML: ") + e.what());
  }
  if (!errors.empty()) return Status::Error(errors.ToString());
  return suite;
}

}  // namespace leakprobe
