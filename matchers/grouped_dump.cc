#include "matchers/grouped_dump.h"

namespace leakprobe {

int64_t GroupedDump::Total() const {
  int64_t n = 0;
  for (const Bucket& b : buckets) n += b.count;
  return n;
}

IdSet GroupedDump::Ids() const {
  std::vector<int64_t> ids;
  for (const Bucket& b : buckets) ids.insert(ids.end(), b.ids.begin(), b.ids.end());
  return IdSet(std::move(ids));
}

IdSet GroupedDump::LeakedIds() const {
  std::vector<int64_t> ids;
  for (const Bucket& b : buckets) {
    if (b.sample.leaked) ids.insert(ids.end(), b.ids.begin(), b.ids.end());
  }
  return IdSet(std::move(ids));
}

int64_t GroupedDump::LeakedCount() const {
  int64_t n = 0;
  for (const Bucket& b : buckets) n += b.sample.leaked ? b.count : 0;
  return n;
}

DumpGrouper::DumpGrouper() : parser_([this](Goroutine& g) { bucketer_.Add(g); }) {}

GroupedDump DumpGrouper::Finish(std::vector<std::string> reader_warnings) {
  parser_.Finish();
  GroupedDump d;
  d.buckets = bucketer_.Take();
  d.warnings = std::move(reader_warnings);
  d.warnings.insert(d.warnings.end(), parser_.warnings().begin(), parser_.warnings().end());
  d.declared_total = parser_.declared_total();
  d.format = parser_.format();
  return d;
}

GroupedDump GroupDump(std::string_view text) {
  DumpGrouper grouper;
  grouper.parser()->Feed(text);
  return grouper.Finish();
}

GroupedDump GroupDump(const Dump& dump) {
  Bucketer bucketer;
  for (const Goroutine& g : dump.goroutines) {
    Goroutine copy = g;
    bucketer.Add(copy);
  }
  GroupedDump d;
  d.buckets = bucketer.Take();
  d.warnings = dump.warnings;
  d.declared_total = dump.declared_total;
  d.format = dump.format;
  return d;
}

}  // namespace leakprobe
