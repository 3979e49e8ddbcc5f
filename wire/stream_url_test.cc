#include "wire/stream_url.h"

#include <gtest/gtest.h>

namespace leakprobe {
namespace {

TEST(ParseStreamUrl, SplitsWhatAConnectionAndARequestLineNeed) {
  struct Case {
    std::string url;
    bool unix_socket;
    std::string schemes;
    std::string want;  // "scheme host_port host path", or the error
  } cases[] = {
      {"ws://127.0.0.1:8080/chat?x=1", false, "ws wss", "ws 127.0.0.1:8080 127.0.0.1:8080 /chat?x=1"},
      {"wss://example.com/chat", false, "ws wss", "wss example.com:443 example.com /chat"},
      {"https://127.0.0.1/attach", false, "http https", "https 127.0.0.1:443 127.0.0.1 /attach"},
      {"http://localhost", false, "http https", "http localhost:80 localhost /"},
      {"http://[::1]:2375?a=b", false, "http https", "http [::1]:2375 [::1]:2375 /?a=b"},
      {"http://[::1]/x", false, "http", "http [::1]:80 [::1] /x"},
      {"/containers/x/attach", true, "http https", " localhost localhost /containers/x/attach"},
      {"/containers/x/attach", false, "http https", "bad URL \"/containers/x/attach\" (want http:// or https://host:port/path)"},
      {"https://h/x", false, "http", "bad URL \"https://h/x\" (want http://host:port/path)"},
      {"ws:///x", false, "ws wss", "bad URL \"ws:///x\" (want ws:// or wss://host:port/path)"},
  };
  for (const Case& c : cases) {
    auto u = ParseStreamUrl(c.url, c.unix_socket, c.schemes);
    std::string got = u.ok() ? u->scheme + " " + u->host_port + " " + u->host + " " + u->path_query : u.status().message();
    EXPECT_EQ(got, c.want) << c.url;
  }
}

TEST(HostOf, WhatTlsNamesTheServerBy) {
  struct Case {
    const char* host_port;
    const char* want;
  } cases[] = {
      {"127.0.0.1:8443", "127.0.0.1"}, {"example.com:443", "example.com"}, {"example.com", "example.com"},
      {"[::1]:2376", "::1"},           {"[::1]", "::1"},                   {"localhost", "localhost"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(HostOf(c.host_port), c.want) << c.host_port;
}

}  // namespace
}  // namespace leakprobe
