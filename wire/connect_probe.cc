#include "wire/connect_probe.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "wire/http_client.h"

namespace leakprobe {

Status TryConnect(const std::string& address, bool is_unix, Millis timeout) {
  int fd = -1;
  sockaddr_storage addr{};
  socklen_t len = 0;
  if (is_unix) {
    auto* un = reinterpret_cast<sockaddr_un*>(&addr);
    if (address.size() >= sizeof un->sun_path) return Status::Error("socket path too long");
    un->sun_family = AF_UNIX;
    std::memcpy(un->sun_path, address.c_str(), address.size() + 1);
    len = sizeof(sockaddr_un);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  } else {
    size_t colon = address.rfind(':');
    if (colon == std::string::npos) return Status::Error("write host:port");
    std::string host = address.substr(0, colon);
    if (host.size() > 1 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    int rc = getaddrinfo(host.c_str(), address.c_str() + colon + 1, &hints, &res);
    if (rc != 0) return Status::Error(gai_strerror(rc));
    std::memcpy(&addr, res->ai_addr, res->ai_addrlen);
    len = res->ai_addrlen;
    fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    freeaddrinfo(res);
  }
  if (fd < 0) return Status::Error(std::strerror(errno));
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { close(*f); });
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0) return Status::Ok();
  if (errno != EINPROGRESS) return Status::Error(std::strerror(errno));
  pollfd p{fd, POLLOUT, 0};
  if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) {
    return Status::Error("no connection within " + FormatDuration(timeout));
  }
  int err = 0;
  socklen_t err_len = sizeof err;
  getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len);
  if (err != 0) return Status::Error(std::strerror(err));
  return Status::Ok();
}

Status TryHttpGet(const std::string& url, const std::string& socket, Millis timeout) {
  HttpRequest req;
  req.url = url;
  req.socket = socket;
  req.timeout = timeout;
  auto res = DoHttp(req);
  if (!res.ok()) return res.status();
  if (res->status >= 200 && res->status < 400) return Status::Ok();
  return Status::Error("status " + std::to_string(res->status));
}

}  // namespace leakprobe
