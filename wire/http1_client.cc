#include "wire/http1_client.h"

#include <strings.h>

#include <chrono>
#include <functional>

#include "wire/http1.h"
#include "wire/interrupt.h"
#include "wire/stream_url.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;

// One request's exchange: what came back so far, parsed as it arrives.
class Exchange {
 public:
  Exchange(ByteStream stream, const HttpRequest& req) : stream_(std::move(stream)), req_(req) {}

  ByteStream& stream() { return stream_; }
  Connection& conn() { return stream_.conn(); }
  HttpResponse& response() { return out_; }
  const HttpResponse& response() const { return out_; }
  bool have_head() const { return have_head_; }
  bool complete() const { return complete_; }
  bool eof() const { return eof_; }

  // Reads once (waiting up to `deadline`) and takes in what came. Error: ReadSome's, or a
  // response head that does not parse.
  Status Pump(SteadyTime deadline) {
    std::string raw;
    auto n = stream_.ReadSome(&raw, 65536, deadline);
    if (!n.ok()) return n.status();
    if (n.value() == 0) {
      eof_ = true;
      // A body framed by the connection's end is whole now; any other is cut.
      if (have_head_ && !head_.chunked && !head_.content_length) complete_ = true;
      return Status::Ok();
    }
    if (have_head_) return Absorb(raw);
    pending_ += raw;
    auto parsed = ParseResponseHead(pending_, &head_);
    if (!parsed.ok()) return parsed.status();
    if (parsed.value() == 0) return Status::Ok();
    have_head_ = true;
    out_.status = head_.status;
    out_.headers = head_.headers;
    std::string rest = pending_.substr(parsed.value());
    pending_.clear();
    bool bodiless = req_.method == "HEAD" || head_.status == 204 || head_.status == 304 ||
                    (head_.content_length && *head_.content_length == 0);
    if (bodiless) {
      complete_ = true;
      return Status::Ok();
    }
    return Absorb(rest);
  }

 private:
  Status Absorb(std::string_view raw) {
    std::string body;
    if (head_.chunked) {
      Status st = decoder_.Feed(raw, &body);
      if (!st.ok()) return st;
      complete_ = decoder_.done();
    } else {
      body.assign(raw);
      if (head_.content_length && out_.body_bytes + body.size() >= *head_.content_length) complete_ = true;
    }
    out_.body_bytes += body.size();
    if (out_.body.size() < req_.max_body) out_.body.append(body, 0, req_.max_body - out_.body.size());
    return Status::Ok();
  }

  ByteStream stream_;
  const HttpRequest& req_;
  HttpResponse out_;
  std::string pending_;  // bytes of a head not complete yet
  ResponseHead head_;
  ChunkedDecoder decoder_;
  bool have_head_ = false;
  bool complete_ = false;
  bool eof_ = false;
};

// Pumps until `until()` holds, the response is complete, or `deadline`. Timed out is an
// error only when `deadline_is_error`.
Status PumpUntil(Exchange* ex, const std::function<bool()>& until, SteadyTime deadline, bool deadline_is_error) {
  while (!until() && !ex->complete()) {
    if (ex->eof()) {
      return Status::Error(ex->have_head() ? "connection closed in the middle of the body"
                                           : "connection closed before the status line");
    }
    Status st = ex->Pump(deadline);
    if (IsTimedOut(st) && !deadline_is_error) return Status::Ok();
    if (!st.ok()) return st;
  }
  return Status::Ok();
}

std::string FullHeadOf(const HttpRequest& req, const std::string& path, const std::string& host) {
  HeaderList headers = req.headers;
  bool has_type = false;
  for (const auto& [k, v] : headers) has_type |= strcasecmp(k.c_str(), "Content-Type") == 0;
  if (!req.body.empty() && !req.content_type.empty() && !has_type) headers.emplace_back("Content-Type", req.content_type);
  return RequestHead(req.method, path, host, headers, req.body.size()) + req.body;
}

// Why the moment `at` never came, given how the exchange stands; "" when it came.
std::string Missed(const Exchange& ex, const HangUpSpec& h) {
  if (!ex.complete()) return "";
  const HttpResponse& r = ex.response();
  switch (h.at) {
    case HangUpSpec::At::kStatus:
      return "the whole response (" + std::to_string(r.status) + ", " + std::to_string(r.body_bytes) +
             " bytes) arrived with its status line";
    case HangUpSpec::At::kBody:
      if (r.body_bytes == 0) return "the response ended before its body (" + std::to_string(r.status) + ")";
      return "the whole body (" + std::to_string(r.body_bytes) + " bytes) arrived at once";
    default:
      return "the response (" + std::to_string(r.status) + ") ended before " + FormatDuration(h.after);
  }
}

}  // namespace

Result<HangUpResponse> DoHttpHangUp(const HttpRequest& req, const HangUpSpec& h) {
  std::string what = req.method + " " + req.url;
  if (!req.socket.empty()) what += " (unix socket " + req.socket + ")";
  auto fail = [&what](const Status& st) { return Status::Error(what + ": " + st.message()); };

  std::string origin, path;
  if (!req.socket.empty() && !req.url.empty() && req.url[0] == '/') {
    path = req.url;
  } else if (!SplitUrl(req.url, &origin, &path)) {
    return Status::Error("bad URL \"" + req.url + "\" (want http://host:port/path)");
  }
  const bool tls = origin.rfind("https://", 0) == 0;
  ConnectOptions opts;
  std::string host = "localhost";
  if (req.socket.empty()) {
    opts.host_port = origin.substr(tls ? 8 : 7);
    host = opts.host_port;
    if (opts.host_port.find(':') == std::string::npos || opts.host_port.back() == ']') {
      opts.host_port += tls ? ":443" : ":80";
    }
  } else {
    opts.unix_path = req.socket;
  }
  opts.connect_timeout = std::min(req.timeout, Millis(5000));
  if (h.how == HangUpSpec::How::kStall) opts.receive_buffer = kStallReceiveBuffer;
  opts.abort = [abort = req.abort] { return Interrupted() || (abort && abort()); };

  auto start = Clock::now();
  SteadyTime deadline = start + req.timeout;
  auto conn = Connection::Open(opts);
  if (!conn.ok()) return fail(conn.status());
  auto stream = ByteStream::Open(std::move(conn.value()), tls, HostOf(host), !req.verify_tls, deadline);
  if (!stream.ok()) return fail(stream.status());
  Exchange ex(std::move(stream.value()), req);
  Status st = ex.stream().WriteAll(FullHeadOf(req, path, host), deadline);
  if (!st.ok()) return fail(st);
  auto sent = Clock::now();

  // Reads up to the moment.
  switch (h.at) {
    case HangUpSpec::At::kStatus:
      st = PumpUntil(&ex, [&ex] { return ex.have_head(); }, deadline, true);
      break;
    case HangUpSpec::At::kBody:
      st = PumpUntil(&ex, [&ex] { return ex.response().body_bytes > 0; }, deadline, true);
      break;
    case HangUpSpec::At::kAfter:
      st = PumpUntil(&ex, [] { return false; }, std::min(deadline, sent + h.after), req.timeout < h.after);
      break;
    default:
      break;  // at sent: nothing read
  }
  auto no_response = [&] {
    return Status::Error(what + ": no response within " + FormatDuration(req.timeout));
  };
  if (IsTimedOut(st)) return no_response();
  if (!st.ok()) return fail(st);

  HangUpResponse out;
  out.not_applicable = h.at == HangUpSpec::At::kSent ? "" : Missed(ex, h);
  if (!out.not_applicable.empty()) {
    out.how = ex.conn().End(HangUpSpec::How::kClose, Millis(0), deadline);
  } else if (h.how == HangUpSpec::How::kHalfClose) {
    // The server sees EOF and may still answer: read what it sends until it ends.
    ex.conn().ShutdownWrite();
    st = PumpUntil(&ex, [] { return false; }, deadline, false);
    if (!st.ok() && !ex.eof()) return fail(st);
    out.how = std::string("half-closed; ") + (ex.complete() || ex.eof() ? "the server ended the response"
                                                                      : "the step's timeout came first");
    ex.conn().End(HangUpSpec::How::kClose, Millis(0), deadline);
    ex.response().hung_up = true;
  } else {
    out.how = ex.conn().End(h.how, h.stall_for, deadline);
    ex.response().hung_up = true;
  }
  if (Interrupted()) return Status::Error(what + ": interrupted");
  out.response = std::move(ex.response());
  out.response.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
  return out;
}

}  // namespace leakprobe
