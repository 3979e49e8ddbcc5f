#include "scenarios/yaml_json.h"

#include "scenarios/template.h"

namespace leakprobe {

namespace {

constexpr int kMaxDepth = 64;
// Aliases can repeat a subtree exponentially ("billion laughs"); a request body never
// needs this many values.
constexpr long kMaxValues = 100000;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// RFC 8259's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool IsJsonNumber(const std::string& s) {
  size_t i = 0, n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (IsDigit(s[i])) {
    while (i < n && IsDigit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !IsDigit(s[i])) return false;
    while (i < n && IsDigit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !IsDigit(s[i])) return false;
    while (i < n && IsDigit(s[i])) ++i;
  }
  return i == n;
}

// A plain scalar resolved the way YAML 1.2's core schema reads it, restricted to what
// JSON can hold.
nlohmann::json ResolvePlain(const std::string& s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) return nullptr;
  if (IsJsonNumber(s)) {
    nlohmann::json number = nlohmann::json::parse(s, nullptr, /*allow_exceptions=*/false);
    if (!number.is_discarded()) return number;
  }
  return s;
}

class Converter {
 public:
  explicit Converter(ErrorList* errors) : errors_(errors) {}

  bool Convert(const Field& field, int depth, nlohmann::json* out) {
    if (++values_ > kMaxValues) {
      if (values_ == kMaxValues + 1) {
        errors_->Add(field.Mark(), Quoted(field.name) + " holds more than 100000 values");
      }
      return false;
    }
    if (depth > kMaxDepth) {
      errors_->Add(field.Mark(), Quoted(field.name) + " is nested deeper than 64 levels");
      return false;
    }
    const YAML::Node& node = field.value;
    switch (node.Type()) {
      case YAML::NodeType::Map: {
        *out = nlohmann::json::object();
        bool ok = true;
        for (const auto& kv : node) {  // named: it->first would dangle (a proxy)
          if (!kv.first.IsScalar()) {
            errors_->Add(kv.first.Mark(), "keys must be plain text");
            ok = false;
            continue;
          }
          const std::string& key = kv.first.Scalar();
          if (out->contains(key)) continue;  // duplicate: reported by CheckDocument
          nlohmann::json value;
          ok = Convert(Field{key, kv.first.Mark(), kv.second}, depth + 1, &value) && ok;
          (*out)[key] = std::move(value);
        }
        return ok;
      }
      case YAML::NodeType::Sequence: {
        *out = nlohmann::json::array();
        bool ok = true;
        for (const YAML::Node& item : node) {
          nlohmann::json value;
          YAML::Mark mark = item.IsNull() ? field.Mark() : item.Mark();
          ok = Convert(Field{field.name, mark, item}, depth + 1, &value) && ok;
          out->push_back(std::move(value));
        }
        return ok;
      }
      case YAML::NodeType::Scalar: {
        // "?" is a plain scalar; "!" a quoted or block one; "!!str" etc. an explicit tag.
        bool plain = node.Tag() == "?" || node.Tag() == "tag:yaml.org,2002:int" ||
                     node.Tag() == "tag:yaml.org,2002:float" ||
                     node.Tag() == "tag:yaml.org,2002:bool";
        *out = plain ? ResolvePlain(node.Scalar()) : nlohmann::json(node.Scalar());
        if (out->is_string()) {
          Status syntax = CheckTemplate(out->get_ref<const std::string&>());
          if (!syntax.ok()) {
            errors_->Add(field.Mark(), syntax.message());
            return false;
          }
          errors_->UseVars(out->get_ref<const std::string&>(), field.Mark());
        }
        return true;
      }
      default:  // Null, and Undefined which a parsed tree never holds
        *out = nullptr;
        return true;
    }
  }

 private:
  ErrorList* errors_;
  long values_ = 0;
};

}  // namespace

std::optional<nlohmann::json> YamlToJson(const Field& field, ErrorList* errors) {
  nlohmann::json out;
  if (!Converter(errors).Convert(field, 0, &out)) return std::nullopt;
  return out;
}

}  // namespace leakprobe
