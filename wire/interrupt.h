// SIGINT, SIGTERM and SIGHUP become a flag that every wait of the harness polls, so a run
// that is interrupted stops its targets and still writes its report. Process-wide.
#ifndef LEAKPROBE_WIRE_INTERRUPT_H_
#define LEAKPROBE_WIRE_INTERRUPT_H_

#include "base/duration.h"

namespace leakprobe {

// Installs the handlers (once; later calls do nothing).
void InstallInterruptHandlers();
// The signal that interrupted the run, or 0.
int InterruptSignal();
inline bool Interrupted() { return InterruptSignal() != 0; }
// Raises the flag from inside the harness (the whole-run --timeout uses SIGALRM's number).
void RequestInterrupt(int sig);
// Sleeps up to `d`; returns early, false, when interrupted.
bool SleepUnlessInterrupted(Millis d);

}  // namespace leakprobe

#endif  // LEAKPROBE_WIRE_INTERRUPT_H_
