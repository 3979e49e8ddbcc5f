#include "wire/upgraded_stream.h"

#include <strings.h>
#include <sys/socket.h>

#include <algorithm>

#include "wire/docker_frames.h"
#include "wire/stream_url.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kReadChunk = 65536;

// One exchange. Each phase returns false when the stream is over (the server closed, the
// client left, or an error is in err_).
class Exchange {
 public:
  Exchange(const UpgradeRequest& req, ByteStream stream, SteadyTime start)
      : req_(req), stream_(std::move(stream)), start_(start), deadline_(start_ + req.timeout) {
    if (req.hang_up && req.hang_up->at == HangUpSpec::At::kAfter) leave_at_ = start_ + req.hang_up->after;
  }

  Result<UpgradeResult> Run(const std::string& head) {
    Status st = stream_.WriteAll(head, deadline_);
    if (!st.ok()) return Fail(st);
    if (Moment(HangUpSpec::At::kSent) && ReadHead() && Moment(HangUpSpec::At::kStatus) && Feed(buffer_) &&
        Writes()) {
      ReadToEnd();
    }
    if (!err_.ok()) return err_;
    r_.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start_);
    return r_;
  }

 private:
  bool Is(HangUpSpec::At at) const { return req_.hang_up && req_.hang_up->at == at; }

  // Leaves now if the hang_up is at this moment; false then.
  bool Moment(HangUpSpec::At at) {
    if (!Is(at)) return true;
    Leave(std::string("hang_up at ") + AtName(at));
    return false;
  }

  void Leave(const std::string& why) {
    const HangUpSpec& h = *req_.hang_up;
    r_.hung_up = true;
    r_.ended = why + ": " + stream_.conn().End(h.how, h.stall_for, deadline_);
  }

  Result<UpgradeResult> Fail(const Status& st) {
    if (st.message() == "timed out") {
      return Status::Error(req_.method + " " + req_.url + ": no response within " + FormatDuration(req_.timeout));
    }
    return Status::Error(req_.method + " " + req_.url + ": " + st.message());
  }

  // The earlier of the step's deadline and an `after:` hang-up.
  SteadyTime Until(SteadyTime t) const { return std::min({t, deadline_, leave_at_}); }

  // A read's deadline passed: the hang-up's moment, read_for's end, or the step's timeout.
  bool Expired(SteadyTime own) {
    auto now = Clock::now();
    if (now >= leave_at_) {
      Leave("hang_up after " + FormatDuration(req_.hang_up->after));
    } else if (now >= deadline_) {
      err_ = Fail(Status::Error("timed out")).status();
    } else if (now < own) {
      return true;  // woke early; keep reading
    }
    return false;
  }

  bool ReadHead() {
    for (;;) {
      auto head = ReadResponseHead(&stream_, &buffer_, Until(deadline_));
      if (head.ok()) {
        r_.status = head->status;
        r_.headers = head->headers;
        r_.upgraded = head->status == 101 || head->status == 200;
        std::string type = HeaderValue(head->headers, "Content-Type");
        r_.demuxed = req_.demux == UpgradeSpec::Demux::kDocker ||
                     (req_.demux == UpgradeSpec::Demux::kAuto &&
                      type.find("application/vnd.docker.multiplexed-stream") != std::string::npos);
        if (r_.upgraded) return true;
        // A refusal: keep its body (it says why), then a plain close.
        size_t want = head->content_length.value_or(kReadChunk);
        for (;;) {
          if (buffer_.size() >= want) break;
          auto n = stream_.ReadSome(&buffer_, kReadChunk, Until(deadline_));
          if (!n.ok() || n.value() == 0) break;
        }
        Keep(buffer_);
        r_.ended = "upgrade refused: " + stream_.conn().End(HangUpSpec::How::kClose, Millis(0), deadline_);
        return false;
      }
      if (IsTimedOut(head.status()) && Expired(deadline_)) continue;
      if (!IsTimedOut(head.status())) err_ = Fail(head.status()).status();
      return false;
    }
  }

  void Keep(std::string_view bytes) {
    r_.output_bytes += bytes.size();
    size_t room = req_.max_output > r_.output.size() ? req_.max_output - r_.output.size() : 0;
    r_.output.append(bytes.data(), std::min(room, bytes.size()));
  }

  // Takes stream bytes in; false when the client left at the first of them, or they are
  // not the frames the response promised.
  bool Feed(const std::string& raw) {
    if (raw.empty()) return true;
    if (r_.demuxed) {
      std::string decoded;
      Status st = frames_.Feed(raw, &decoded);
      if (!st.ok()) {
        err_ = Fail(st).status();
        return false;
      }
      Keep(decoded);
    } else {
      Keep(raw);
    }
    return r_.output_bytes == 0 || Moment(HangUpSpec::At::kBody);
  }

  // Reads until `until`: true when it passed, false when the stream ended meanwhile.
  bool ReadUntil(SteadyTime until) {
    for (;;) {
      std::string chunk;
      auto n = stream_.ReadSome(&chunk, kReadChunk, Until(until));
      if (n.ok() && n.value() == 0) {
        r_.ended = "server closed the stream";
        stream_.conn().End(HangUpSpec::How::kClose, Millis(0), deadline_);
        return false;
      }
      if (n.ok()) {
        if (!Feed(chunk)) return false;
        continue;
      }
      if (!IsTimedOut(n.status())) {
        err_ = Fail(n.status()).status();
        return false;
      }
      if (Clock::now() >= until && until < deadline_ && until < leave_at_) return true;
      if (!Expired(until)) return false;
    }
  }

  bool Writes() {
    for (const StreamWrite& w : req_.writes) {
      if (w.pause.count() > 0 && !ReadUntil(Clock::now() + w.pause)) return false;
      Status st = stream_.WriteAll(w.bytes, Until(deadline_));
      if (!st.ok()) {
        if (IsTimedOut(st)) {  // a full window until the hang-up or the timeout
          Expired(deadline_);
          return false;
        }
        r_.ended = "server closed the stream (" + st.message() + ")";
        stream_.conn().End(HangUpSpec::How::kClose, Millis(0), deadline_);
        return false;
      }
      r_.written += w.bytes.size();
    }
    // On TLS too a plain TCP half-close, no close_notify: what Docker's CLI does.
    if (req_.close_stdin) shutdown(stream_.conn().fd(), SHUT_WR);
    return true;
  }

  void ReadToEnd() {
    SteadyTime until = req_.read_for ? Clock::now() + *req_.read_for : SteadyTime::max();
    if (ReadUntil(until) && req_.read_for) {
      r_.hung_up = true;
      r_.ended = "read_for " + FormatDuration(*req_.read_for) + " passed: " +
                 stream_.conn().End(HangUpSpec::How::kClose, Millis(0), deadline_);
    }
  }

  const UpgradeRequest& req_;
  ByteStream stream_;
  SteadyTime start_;
  SteadyTime deadline_;
  SteadyTime leave_at_ = SteadyTime::max();
  std::string buffer_;
  DockerFrameDecoder frames_;
  UpgradeResult r_;
  Status err_ = Status::Ok();
};

}  // namespace

Result<UpgradeResult> RunUpgradedStream(const UpgradeRequest& req) {
  auto start = Clock::now();
  auto url = ParseStreamUrl(req.url, !req.socket.empty(), "http https");
  if (!url.ok()) return url.status();
  ConnectOptions options = StreamConnectOptions(url.value(), req.socket, req.timeout, req.hang_up, req.abort);
  auto conn = Connection::Open(options);
  if (!conn.ok()) return Status::Error(req.method + " " + req.url + ": " + conn.status().message());
  auto stream = ByteStream::Open(std::move(conn.value()), url->scheme == "https", HostOf(url->host_port), req.insecure,
                                 start + req.timeout);
  if (!stream.ok()) return Status::Error(req.method + " " + req.url + ": " + stream.status().message());

  HeaderList headers = req.headers;
  headers.emplace_back("Connection", "Upgrade");
  headers.emplace_back("Upgrade", req.protocol);
  std::string head = RequestHead(req.method, url->path_query, url->host, headers, req.body.size()) + req.body;
  Exchange exchange(req, std::move(stream.value()), start);
  return exchange.Run(head);
}

}  // namespace leakprobe
