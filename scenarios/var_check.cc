#include "scenarios/var_check.h"

#include "scenarios/did_you_mean.h"
#include "scenarios/template.h"
#include "scenarios/yaml_reader.h"

namespace leakprobe {

namespace {
const char kSnapshotPrefix[] = "\x01snapshot:";  // keeps snapshot names apart from variables
}  // namespace

bool IsBuiltinVariable(const std::string& name) {
  return name == "port" ||
         (name.rfind("port.", 0) == 0 && name.size() > 5) ||
         (name.rfind("env.", 0) == 0 && name.size() > 4);
}

VarCheck::VarCheck() : locals_(std::make_shared<const std::set<std::string>>()) {}

void VarCheck::Use(std::string_view text, int line, int col) {
  for (const std::string& name : TemplateNames(text)) {
    uses_.push_back(UseAt{false, name, line, col, locals_});
  }
}

void VarCheck::UseSnapshot(const std::string& name, int line, int col) {
  uses_.push_back(UseAt{true, name, line, col, locals_});
}

void VarCheck::DefineGlobal(const std::string& name) { globals_.insert(name); }

void VarCheck::AddLocal(const std::string& name) {
  if (locals_->count(name)) return;
  auto copy = std::make_shared<std::set<std::string>>(*locals_);  // uses keep the old set
  copy->insert(name);
  locals_ = std::move(copy);
}

void VarCheck::DefineLocal(const std::string& name) { AddLocal(name); }
void VarCheck::DefineSnapshot(const std::string& name) { AddLocal(kSnapshotPrefix + name); }

void VarCheck::StartScenario() { locals_ = std::make_shared<const std::set<std::string>>(); }

void VarCheck::Report(ErrorList* errors) const {
  for (const UseAt& use : uses_) {
    if (use.snapshot) {
      if (!use.locals->count(kSnapshotPrefix + use.name)) {
        errors->AddAt(use.line, use.col,
                      "no snapshot " + Quoted(use.name) + " is taken by an earlier step");
      }
      continue;
    }
    if (IsBuiltinVariable(use.name) || globals_.count(use.name) || use.locals->count(use.name)) {
      continue;
    }
    std::vector<std::string> known(globals_.begin(), globals_.end());
    for (const std::string& l : *use.locals) {
      if (l.rfind(kSnapshotPrefix, 0) != 0) known.push_back(l);
    }
    known.push_back("port");
    std::vector<std::string_view> candidates(known.begin(), known.end());
    std::string guess = DidYouMean(use.name, candidates);
    std::string message = "undefined variable \"${" + use.name + "}\"";
    if (!guess.empty()) {
      message += " (did you mean \"${" + guess + "}\"?)";
    } else {
      message += ": not a var, a --var, a built-in, or a capture of an earlier step";
    }
    errors->AddAt(use.line, use.col, message);
  }
}

}  // namespace leakprobe
