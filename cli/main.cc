#include <cstdio>
#include <exception>

#include "cli/cli.h"

int main(int argc, char** argv) {
  try {
    return leakprobe::RunCli(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "leakprobe: internal error: %s\n", e.what());
    return 3;
  }
}
