#include "wire/count_poll.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(CountsUrl, IsTheDebug1FormOfNetHttpPprofsProfiles) {
  struct {
    const char* url;
    const char* want;
  } cases[] = {
      {"http://127.0.0.1:8080/debug/pprof/goroutine?debug=2", "http://127.0.0.1:8080/debug/pprof/goroutine?debug=1"},
      {"http://localhost/debug/pprof/goroutineleak?debug=2", "http://localhost/debug/pprof/goroutineleak?debug=1"},
      {"https://h:1/admin/debug/pprof/goroutine?x=1&debug=2", "https://h:1/admin/debug/pprof/goroutine?x=1&debug=1"},
      {"http://h:1/debug/pprof/goroutine?debug=1", ""},    // counts already: no ids to tell apart
      {"http://h:1/debug/pprof/goroutine", ""},            // the protobuf form
      {"http://h:1/debug/pprof/goroutine?debug=20", ""},
      {"http://h:1/stacks?debug=2", ""},                   // another endpoint: who knows what it answers
      {"gops://127.0.0.1:4321", ""},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(CountsUrl(c.url), c.want) << c.url;
}

}  // namespace
}  // namespace leakprobe
