#include "wire/http_client.h"

#include "wire/interrupt.h"

#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <httplib.h>

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;

// Calls client->stop() when the deadline passes, unless disarmed first.
class Watchdog {
 public:
  Watchdog(httplib::Client* client, Millis after, const std::function<bool()>& abort)
      : thread_([this, client, after, abort] {
          std::unique_lock<std::mutex> lock(mu_);
          auto end = Clock::now() + after;
          // Wakes now and then so that Ctrl-C, or a target that died, ends a long stream too.
          while (!disarmed_ && !Interrupted() && Clock::now() < end) {
            if (abort) {
              lock.unlock();
              bool stop = abort();
              lock.lock();
              if (stop) {
                aborted_ = true;
                break;
              }
              if (disarmed_) break;
            }
            cv_.wait_for(lock, std::min<Clock::duration>(end - Clock::now(), Millis(50)));
          }
          if (!disarmed_) {
            fired_ = true;
            lock.unlock();
            client->stop();
          }
        }) {}
  ~Watchdog() { Disarm(); }
  void Disarm() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      disarmed_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool fired() {
    std::lock_guard<std::mutex> lock(mu_);
    return fired_;
  }
  bool aborted() {
    std::lock_guard<std::mutex> lock(mu_);
    return aborted_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool disarmed_ = false;
  bool fired_ = false;
  bool aborted_ = false;
  std::thread thread_;
};

void SetTimeouts(httplib::Client* cli, Millis total) {
  long long ms = total.count();
  // A connect in progress delays stop(); keep it shorter than the deadline.
  long long connect_ms = std::min<long long>(ms, 5000);
  cli->set_connection_timeout(connect_ms / 1000, (connect_ms % 1000) * 1000);
  cli->set_read_timeout(ms / 1000 + 1, 0);
  cli->set_write_timeout(ms / 1000 + 1, 0);
}

}  // namespace

bool SplitUrl(const std::string& url, std::string* origin, std::string* path_query) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return false;
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return false;
  size_t host_start = scheme_end + 3;
  size_t path_start = url.find_first_of("/?", host_start);
  if (path_start == std::string::npos) path_start = url.size();
  if (path_start == host_start) return false;
  *origin = url.substr(0, path_start);
  *path_query = path_start < url.size() ? url.substr(path_start) : "/";
  if ((*path_query)[0] == '?') *path_query = "/" + *path_query;
  return true;
}

bool IsTimeout(const Status& status) {
  return !status.ok() && status.message().find(": no response within ") != std::string::npos;
}

namespace {

// The httplib request for `req` at `path`: its headers (a Host for a unix socket), its body,
// and handlers that fill *out as the response arrives (the body up to req.max_body, or
// through req.on_body). REQUIRES: req and *out outlive the request.
httplib::Request RequestOf(const HttpRequest& req, const std::string& path, HttpResponse* out) {
  httplib::Request hreq;
  hreq.method = req.method;
  hreq.path = path;
  bool has_host = false;
  for (const auto& [k, v] : req.headers) {
    hreq.headers.emplace(k, v);
    if (strcasecmp(k.c_str(), "Host") == 0) has_host = true;
  }
  // 0.11.4 sends the socket path as Host, which Go servers refuse.
  if (!req.socket.empty() && !has_host) hreq.headers.emplace("Host", "localhost");
  if (!req.body.empty() || req.method == "POST" || req.method == "PUT" || req.method == "PATCH") {
    hreq.body = req.body;
    if (!req.content_type.empty()) hreq.headers.emplace("Content-Type", req.content_type);
  }

  hreq.response_handler = [out](const httplib::Response& r) {
    out->status = r.status;
    for (const auto& [k, v] : r.headers) out->headers.emplace_back(k, v);
    return true;
  };
  size_t max_body = req.max_body;
  const auto& on_body = req.on_body;
  hreq.content_receiver = [out, max_body, &on_body](const char* data, size_t len, uint64_t, uint64_t) {
    out->body_bytes += len;
    if (on_body && out->status == 200) {
      if (!on_body(std::string_view(data, len))) {
        out->stopped = true;
        return false;
      }
    } else if (out->body.size() < max_body) {
      out->body.append(data, std::min(len, max_body - out->body.size()));
    }
    return true;
  };
  return hreq;
}

}  // namespace

Result<HttpResponse> DoHttp(const HttpRequest& req) {
  std::string what = req.method + " " + req.url;
  if (!req.socket.empty()) what += " (unix socket " + req.socket + ")";

  std::string origin, path;
  if (!req.socket.empty() && !req.url.empty() && req.url[0] == '/') {
    path = req.url;
  } else if (!SplitUrl(req.url, &origin, &path)) {
    return Status::Error("bad URL \"" + req.url + "\" (want http://host:port/path)");
  }
  std::unique_ptr<httplib::Client> cli;
  if (!req.socket.empty()) {
    cli = std::make_unique<httplib::Client>(req.socket);
    cli->set_address_family(AF_UNIX);
  } else {
    cli = std::make_unique<httplib::Client>(origin);
  }
  if (!cli->is_valid()) return Status::Error(what + ": cannot make a client for this URL");
  cli->set_keep_alive(false);
  // Over TLS the request leaves in more than one record; with Nagle on, the second waited
  // for the server's delayed ACK: 46 ms per https request instead of 3.5 (bench/hang_up_tls.sh).
  cli->set_tcp_nodelay(true);
  cli->enable_server_certificate_verification(req.verify_tls);

  bool planned = req.disconnect_after.count() > 0;
  Millis deadline = planned ? std::min(req.disconnect_after, req.timeout) : req.timeout;
  SetTimeouts(cli.get(), deadline);

  HttpResponse out;
  httplib::Request hreq = RequestOf(req, path, &out);

  auto start = Clock::now();
  httplib::Response hres;
  httplib::Error err = httplib::Error::Success;
  bool ok;
  bool fired;
  bool aborted;
  {
    Watchdog watchdog(cli.get(), deadline, req.abort);
    ok = cli->send(hreq, hres, err);
    watchdog.Disarm();
    fired = watchdog.fired();
    aborted = watchdog.aborted();
  }
  out.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
  if (ok || out.stopped) {
    if (out.status == 0) out.status = hres.status;
    return out;
  }
  if (Interrupted()) return Status::Error(what + ": interrupted");
  if (aborted) return Status::Error(what + ": aborted");
  if (fired && planned && req.disconnect_after <= req.timeout) {
    out.hung_up = true;
    return out;
  }
  if (fired || (err == httplib::Error::Read && out.elapsed >= deadline)) {
    return Status::Error(what + ": no response within " + FormatDuration(deadline));
  }
  std::string reason = httplib::to_string(err);
  if (err == httplib::Error::Connection) reason = "cannot connect";
  return Status::Error(what + ": " + reason);
}

}  // namespace leakprobe
