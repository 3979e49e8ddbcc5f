#include "wire/target_gc.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(GcUrl, IsHeapGcBesideNetHttpPprofsGoroutineProfile) {
  struct {
    const char* url;
    const char* want;
  } cases[] = {
      {"http://127.0.0.1:8080/debug/pprof/goroutine?debug=2", "http://127.0.0.1:8080/debug/pprof/heap?gc=1"},
      {"http://localhost/debug/pprof/goroutine?debug=2", "http://localhost/debug/pprof/heap?gc=1"},  // over a socket
      {"https://h:1/admin/debug/pprof/goroutine?x=1&debug=2", "https://h:1/admin/debug/pprof/heap?gc=1"},
      {"http://h:1/debug/pprof/goroutineleak?debug=2", ""},  // not the goroutine profile
      {"http://h:1/stacks?debug=2", ""},                     // another endpoint: no pprof beside it
      {"gops://127.0.0.1:4321", ""},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(GcUrl(c.url), c.want) << c.url;
}

}  // namespace
}  // namespace leakprobe
