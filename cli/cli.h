// The command line: `leakprobe run|scan|validate ...` with the exit codes of product.md
// (0 passed, 1 failed, 2 bad invocation or invalid scenario, 3 internal error,
// 130 interrupted). Does I/O; called once, from main.
#ifndef LEAKPROBE_CLI_CLI_H_
#define LEAKPROBE_CLI_CLI_H_

namespace leakprobe {

int RunCli(int argc, char** argv);

}  // namespace leakprobe

#endif  // LEAKPROBE_CLI_CLI_H_
