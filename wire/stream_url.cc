#include "wire/stream_url.h"

#include <algorithm>
#include <sstream>

namespace leakprobe {

namespace {

// SO_RCVBUF for how: stall.
constexpr int kStallReceiveBuffer = 4096;

int DefaultPort(const std::string& scheme) { return scheme == "https" || scheme == "wss" ? 443 : 80; }

std::string Want(const std::string& schemes) {
  std::istringstream in(schemes);
  std::string s, out;
  while (in >> s) out += (out.empty() ? "" : " or ") + s + "://";
  return out;
}

}  // namespace

Result<StreamUrl> ParseStreamUrl(const std::string& url, bool unix_socket, const std::string& schemes) {
  StreamUrl u;
  auto bad = [&] { return Status::Error("bad URL \"" + url + "\" (want " + Want(schemes) + "host:port/path)"); };
  if (unix_socket && !url.empty() && url[0] == '/') {
    u.host = u.host_port = "localhost";
    u.path_query = url;
    return u;
  }
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return bad();
  u.scheme = url.substr(0, scheme_end);
  if ((" " + schemes + " ").find(" " + u.scheme + " ") == std::string::npos) return bad();
  size_t host_start = scheme_end + 3;
  size_t path_start = url.find_first_of("/?", host_start);
  if (path_start == std::string::npos) path_start = url.size();
  if (path_start == host_start) return bad();
  u.host = url.substr(host_start, path_start - host_start);
  u.path_query = path_start < url.size() ? url.substr(path_start) : "/";
  if (u.path_query[0] == '?') u.path_query = "/" + u.path_query;
  size_t bracket = u.host.rfind(']');
  size_t colon = u.host.rfind(':');
  bool has_port = colon != std::string::npos && (bracket == std::string::npos || colon > bracket);
  u.host_port = has_port ? u.host : u.host + ":" + std::to_string(DefaultPort(u.scheme));
  return u;
}

std::string HostOf(const std::string& host_port) {
  if (!host_port.empty() && host_port[0] == '[') return host_port.substr(1, host_port.find(']') - 1);
  return host_port.substr(0, host_port.rfind(':'));
}

ConnectOptions StreamConnectOptions(const StreamUrl& url, const std::string& unix_path, Millis timeout,
                                    const std::optional<HangUpSpec>& hang_up, std::function<bool()> abort) {
  ConnectOptions options;
  options.host_port = url.host_port;
  options.unix_path = unix_path;
  options.connect_timeout = std::min(timeout, Millis(5000));
  options.abort = std::move(abort);
  if (hang_up && hang_up->how == HangUpSpec::How::kStall) options.receive_buffer = kStallReceiveBuffer;
  return options;
}

}  // namespace leakprobe
