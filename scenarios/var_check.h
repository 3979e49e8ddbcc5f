// Finds ${names} that nothing defines, for `validate` and `run`, while the loader reads a
// file. Internal to scenarios/; no I/O; used by one thread.
//
// A name is defined when it is a built-in (port, port.NAME, env.NAME), a
// suite var, a --var, the ready probe's capture, a capture of a suite setup step, or a
// capture of an EARLIER step of the same scenario (its setup steps count as earlier).
// Snapshot names work the same way for a check's `against:`.
#ifndef LEAKPROBE_SCENARIOS_VAR_CHECK_H_
#define LEAKPROBE_SCENARIOS_VAR_CHECK_H_

#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace leakprobe {

class ErrorList;

class VarCheck {
 public:
  VarCheck();

  // Records every ${name} of `text` at 1-based (line, col) against what is defined now.
  void Use(std::string_view text, int line, int col);
  // Records `against: NAME` at (line, col).
  void UseSnapshot(const std::string& name, int line, int col);

  // Defines a name for the rest of the file (suite vars, --var, ready capture, suite setup).
  void DefineGlobal(const std::string& name);
  // Defines a name from here on, until the next StartScenario.
  void DefineLocal(const std::string& name);
  void DefineSnapshot(const std::string& name);
  // Forgets the local names: a new scenario begins.
  void StartScenario();

  // Records, for each use of a name that nothing defined:
  //   undefined variable "${cid}" (did you mean "${cids}"?)
  //   undefined variable "${cid}": no earlier step captures it, and it is not a var
  //   no snapshot "before" is taken by an earlier step
  void Report(ErrorList* errors) const;

 private:
  using Names = std::shared_ptr<const std::set<std::string>>;
  struct UseAt {
    bool snapshot;
    std::string name;
    int line;
    int col;
    Names locals;  // the local names when it was used
  };
  void AddLocal(const std::string& name);
  std::set<std::string> globals_;
  Names locals_;
  std::vector<UseAt> uses_;
};

// Whether `name` is defined by leakprobe itself: port, port.NAME, env.NAME. (repeat.index
// is defined inside a repeat's steps: the step reader defines it there.)
bool IsBuiltinVariable(const std::string& name);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_VAR_CHECK_H_
