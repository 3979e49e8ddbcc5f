#include "scenarios/sweep_reader.h"

#include <re2/re2.h>

#include "scenarios/expect_reader.h"

namespace leakprobe {

namespace {
const std::vector<std::string_view> kSweepKeys = {"faults", "steps", "times", "all"};
}  // namespace

std::optional<SweepSpec> ReadSweep(const Field& field, ErrorList* errors) {
  MapReader map(field, kSweepKeys, errors, /*empty_ok=*/true);
  if (!map.is_map()) return std::nullopt;
  size_t before = errors->size();
  SweepSpec sweep;
  sweep.pos = errors->Pos(map.mark());
  for (const Field& f : map.fields()) {
    if (f.name == "faults") {
      auto items = ReadList(f, errors);
      if (!items) continue;
      for (const Field& item : *items) {
        auto text = ReadString(item, errors);
        if (!text) continue;
        auto fault = ParseFault(*text);
        if (fault.ok()) sweep.faults.push_back(fault.value());
        else errors->Add(item.Mark(), "fault " + Quoted(*text) + ": " + fault.status().message());
      }
    } else if (f.name == "steps") {
      auto text = ReadString(f, errors);
      if (!text) continue;
      RE2 re(*text, RE2::Quiet);
      if (!re.ok()) errors->Add(f.Mark(), "\"steps\": " + re.error());
      else sweep.steps = *text;
    } else if (f.name == "times") {
      if (auto n = ReadInt(f, 2, 1000, errors)) sweep.times = static_cast<int>(*n);
    } else if (f.name == "all") {
      if (auto b = ReadBool(f, errors)) sweep.all = *b;
    }
  }
  if (errors->size() != before) return std::nullopt;
  return sweep;
}

}  // namespace leakprobe
