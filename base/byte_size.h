// Sizes as scenario files and flags write them: "256MiB", "64MB", "512KiB", "1GiB", "4096".
// Pure; no I/O.
#ifndef LEAKPROBE_BASE_BYTE_SIZE_H_
#define LEAKPROBE_BASE_BYTE_SIZE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace leakprobe {

// Parses "256MiB" into 268435456. Units: B, KiB, MiB, GiB (powers of 1024) and KB, MB, GB
// (powers of 1000), also written k/K, M, G (as KiB, MiB, GiB); no unit means bytes; a space
// before the unit is allowed. At most 1 TiB. Error: `bad size "3 megs" (write e.g. 64MiB,
// 512KiB, 1GiB)`.
Result<uint64_t> ParseByteSize(std::string_view text);

// 268435456 as "256 MiB", 1536 as "1.5 KiB", 100 as "100 bytes".
std::string FormatByteSize(uint64_t bytes);

}  // namespace leakprobe

#endif  // LEAKPROBE_BASE_BYTE_SIZE_H_
