// "${name}" templates in scenario strings: "${api}/containers/${cid}/start".
//
// The loader only checks their syntax; the harness expands them when it runs a step,
// because captured values exist only then. Pure; no I/O; thread-safe.
//
// Syntax: "${" NAME "}" where NAME is letters, digits, "_", "-" and "." ("env.HOME").
// "$${" is a literal "${". Any other "$" is literal ("$HOME", "$$" stay as they are).
#ifndef LEAKPROBE_SCENARIOS_TEMPLATE_H_
#define LEAKPROBE_SCENARIOS_TEMPLATE_H_

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace leakprobe {

// The value of a variable, or nullopt when it is not defined.
using VarLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Replaces every ${name} with lookup(name), in one pass: a value that itself contains
// "${" is inserted as it is, never expanded again.
//   "${api}/containers/${cid}/start" with api=http://h, cid=42 -> "http://h/containers/42/start"
// Errors (a syntax error anywhere is reported before an undefined variable):
//   `undefined variable "${cid}"`                      lookup returned nullopt
//   `unterminated "${" in "${api/containers"`          no "}" closes a name
//   `empty variable name "${}" in "a${}b"`
// Long texts are shortened to 80 characters ("...") inside the messages.
Result<std::string> ExpandTemplate(std::string_view text, const VarLookup& lookup);

// Checks only the syntax, as ExpandTemplate would with every variable defined.
Status CheckTemplate(std::string_view text);

// Whether vars and captures may define `name`: letters, digits, "_" and "-", not starting
// with a digit or "-" ("cid", "api_url"). Dots are for the built-in "env.NAME".
bool IsVariableName(std::string_view name);

// The distinct names referenced, in order of first use: "${a}/${b}/${a}" -> {"a", "b"}.
// Malformed references and escaped "$${x}" are skipped.
std::vector<std::string> TemplateNames(std::string_view text);

}  // namespace leakprobe

#endif  // LEAKPROBE_SCENARIOS_TEMPLATE_H_
