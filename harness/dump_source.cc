#include "harness/dump_source.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "harness/http_client.h"

namespace leakprobe {

Result<std::string> FetchDump(const std::string& url, const std::string& socket, Millis timeout) {
  HttpRequest req;
  req.url = url;
  req.socket = socket;
  req.timeout = timeout;
  req.max_body = size_t(1) << 30;
  auto res = DoHttp(req);
  if (!res.ok()) return Status::Error("dump " + res.status().message());
  if (res->status != 200) {
    return Status::Error("dump GET " + url + ": status " + std::to_string(res->status));
  }
  return std::move(res->body);
}

namespace {
Status FeedFd(int fd, const std::string& name, DumpParser* parser) {
  std::vector<char> buf(1 << 20);
  for (;;) {
    ssize_t n = read(fd, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Error("cannot read " + name + ": " + std::strerror(errno));
    if (n == 0) break;
    parser->Feed(std::string_view(buf.data(), static_cast<size_t>(n)));
  }
  parser->Finish();
  return Status::Ok();
}
}  // namespace

Status ReadDumpSource(const std::string& source, DumpParser* parser) {
  if (source == "-") return FeedFd(0, "standard input", parser);
  std::string url = source, socket;
  if (source.rfind("unix:", 0) == 0) {
    size_t sep = source.find(":http", 5);
    if (sep == std::string::npos) {
      return Status::Error("bad source \"" + source + "\" (write unix:PATH:http://localhost/URL-PATH)");
    }
    socket = source.substr(5, sep - 5);
    url = source.substr(sep + 1);
  }
  if (!socket.empty() || source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) {
    auto text = FetchDump(url, socket, Millis(60000));
    if (!text.ok()) return text.status();
    parser->Feed(text.value());
    parser->Finish();
    return Status::Ok();
  }
  int fd = open(source.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::Error("cannot read " + source + ": " + std::strerror(errno));
  Status s = FeedFd(fd, source, parser);
  close(fd);
  return s;
}

}  // namespace leakprobe
