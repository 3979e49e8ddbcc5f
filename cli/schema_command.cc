#include <cstdio>

#include "cli/commands.h"
#include "scenarios/schema.h"

namespace leakprobe {

int Schema() {
  const char* schema = ScenarioJsonSchema();
  if (*schema == '\n') ++schema;
  std::fputs(schema, stdout);
  return std::fflush(stdout) == 0 ? kExitPassed : kExitInternal;
}

}  // namespace leakprobe
