// The one translation unit with Boost.Beast and Asio in it (websocket_client.h).
#include "wire/websocket_client.h"

#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>

#include <boost/asio/generic/stream_protocol.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <thread>
#include <type_traits>

#include "wire/connection.h"
#include "wire/stream_url.h"

namespace leakprobe {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using Clock = std::chrono::steady_clock;
// One socket type for TCP and unix sockets alike: each stream type Session is instantiated
// for costs seconds of compile time and hundreds of MB.
using Socket = asio::generic::stream_protocol::socket;
constexpr auto kSlice = std::chrono::milliseconds(20);

template <class Ws>
constexpr bool kIsTls = !std::is_same_v<typename Ws::next_layer_type, Socket>;

// One exchange over one stream type (TCP, unix, TLS). Handlers run only inside Pump, on
// the caller's thread, so no locks.
template <class Ws>
class Session {
 public:
  Session(asio::io_context& ioc, Ws ws, const WebSocketRequest& req, SteadyTime start)
      : ioc_(ioc), ws_(std::move(ws)), req_(req), start_(start), deadline_(start + req.timeout) {
    if (req.hang_up && req.hang_up->at == HangUpSpec::At::kAfter) leave_at_ = start + req.hang_up->after;
  }

  Result<WebSocketResult> Run(const StreamUrl& url) {
    if (Handshake(url) && Moment(HangUpSpec::At::kStatus)) {
      ArmRead();
      if (Sends()) Finish();
    }
    Drain();
    if (aborted_) return Status::Error(req_.url + ": aborted");
    if (timed_out_) return Status::Error(req_.url + ": no response within " + FormatDuration(req_.timeout));
    if (!error_.empty()) return Status::Error(req_.url + ": " + error_);
    r_.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start_);
    return r_;
  }

 private:
  // One asynchronous operation's outcome. It lives in the session, not on a caller's stack:
  // a caller that leaves before the operation completes (a hang-up mid-handshake or
  // mid-write) has its handler run later, in Drain, when the aborted operation completes.
  struct Op {
    bool done = false;
    beast::error_code err;
  };

  // A completion handler that records into *op, counted in pending_ until it runs.
  auto Track(Op* op) {
    *op = Op{};
    ++pending_;
    return [this, op](beast::error_code ec, auto&&...) {
      --pending_;
      op->done = true;
      op->err = ec;
    };
  }

  bool Is(HangUpSpec::At at) const { return req_.hang_up && req_.hang_up->at == at; }

  // Leaves before the WebSocket is open: there is no close frame to send yet.
  void LeaveUnopened() {
    HangUpSpec::How how = req_.hang_up->how;
    Leave(how == HangUpSpec::How::kCloseFrame ? HangUpSpec::How::kClose : how, DueWhy());
  }

  // Whether the hang_up's moment has come.
  bool Due() const {
    if (!req_.hang_up) return false;
    switch (req_.hang_up->at) {
      case HangUpSpec::At::kAfter: return Clock::now() >= leave_at_;
      case HangUpSpec::At::kBody: return r_.message_count >= 1;
      case HangUpSpec::At::kMessages: return r_.message_count >= static_cast<size_t>(req_.hang_up->messages);
      default: return false;
    }
  }

  std::string DueWhy() const {
    const HangUpSpec& h = *req_.hang_up;
    if (h.at == HangUpSpec::At::kAfter) return "hang_up after " + FormatDuration(h.after);
    if (h.at == HangUpSpec::At::kMessages) return "hang_up after " + std::to_string(h.messages) + " messages";
    return std::string("hang_up at ") + AtName(h.at);
  }

  bool Moment(HangUpSpec::At at) {
    if (!Is(at)) return true;
    Leave(req_.hang_up->how, DueWhy());
    return false;
  }

  // Runs handlers until `done()` or `until`; false when the step's deadline or the abort came
  // first (timed_out_ / aborted_ say which).
  bool Pump(const std::function<bool()>& done, SteadyTime until) {
    for (;;) {
      if (done()) return true;
      auto now = Clock::now();
      if (now >= until) return true;
      if (now >= deadline_) return !(timed_out_ = true);
      if (req_.abort && req_.abort()) return !(aborted_ = true);
      if (ioc_.stopped()) ioc_.restart();
      auto slice = std::min<Clock::duration>({until - now, deadline_ - now, kSlice});
      if (ioc_.run_for(slice) == 0 && ioc_.stopped()) std::this_thread::sleep_for(slice);
    }
  }

  void SetOptions() {
    HeaderList headers = req_.headers;
    std::string protocols;
    for (const std::string& p : req_.subprotocols) protocols += (protocols.empty() ? "" : ", ") + p;
    ws_.set_option(websocket::stream_base::decorator([headers, protocols](websocket::request_type& r) {
      r.set(beast::http::field::user_agent, "leakprobe");
      if (!protocols.empty()) r.set(beast::http::field::sec_websocket_protocol, protocols);
      for (const auto& [k, v] : headers) r.set(beast::string_view(k), v);
    }));
    ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
      if (kind == websocket::frame_type::ping) ++r_.pings;
    });
  }

  bool TlsHandshake(const StreamUrl& url) {
    if constexpr (kIsTls<Ws>) {
      std::string host = url.host.substr(0, url.host.rfind(':'));
      SSL_set_tlsext_host_name(ws_.next_layer().native_handle(), host.c_str());
      ws_.next_layer().async_handshake(asio::ssl::stream_base::client, Track(&handshake_));
      if (!Pump([&] { return handshake_.done; }, leave_at_)) return false;
      if (!handshake_.done) {  // the hang_up's `after` came during the TLS handshake
        LeaveUnopened();
        return false;
      }
      if (handshake_.err) {
        error_ = "TLS handshake: " + handshake_.err.message();
        return false;
      }
    }
    return true;
  }

  bool Handshake(const StreamUrl& url) {
    SetOptions();
    if (!TlsHandshake(url)) return false;
    ws_.async_handshake(response_, url.host, url.path_query, Track(&handshake_));
    if (!Pump([&] { return handshake_.done; }, leave_at_)) return false;
    if (!handshake_.done) {  // the hang_up's `after` came during the handshake
      LeaveUnopened();
      return false;
    }
    const beast::error_code& err = handshake_.err;
    r_.status = response_.result_int();
    for (const auto& field : response_) {
      r_.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (err && r_.status != 0 && r_.status != 101) {
      r_.refusal_body = response_.body();
      r_.ended = "upgrade refused (" + std::to_string(r_.status) + "): " + EndLowest(HangUpSpec::How::kClose);
      return false;
    }
    if (err) {
      error_ = "handshake: " + err.message();
      return false;
    }
    return true;
  }

  void ArmRead() {
    reading_ = true;
    ws_.async_read(buffer_, [this](beast::error_code ec, size_t) {
      reading_ = false;
      if (ec) {
        if (!left_) ServerClosed(ec);
        return;
      }
      ++r_.message_count;
      r_.bytes += buffer_.size();
      if (r_.messages.size() < req_.max_messages) {
        r_.messages.push_back({beast::buffers_to_string(buffer_.data()), ws_.got_binary()});
      }
      buffer_.consume(buffer_.size());
      if (!left_ && !stop_reading_) ArmRead();
    });
  }

  void ServerClosed(const beast::error_code& ec) {
    server_closed_ = true;
    // A close frame may have come even when the read ends in another error (Beast's answer
    // to it can meet a connection the server has already closed).
    if (ec == websocket::error::closed || ws_.reason().code != websocket::close_code::none) {
      r_.close_code = ws_.reason().code;
      r_.ended = "server closed: close frame " + std::to_string(r_.close_code) +
                 (ws_.reason().reason.empty() ? "" : " \"" + std::string(ws_.reason().reason.c_str()) + "\"");
    } else {
      r_.ended = "server closed the connection without a close frame (" + ec.message() + ")";
    }
  }

  // Writes the sends in order, each after its pause; false when the exchange ended meanwhile.
  bool Sends() {
    for (const WsSend& s : req_.sends) {
      if (!Wait(Clock::now() + s.pause)) return false;
      ws_.binary(s.binary);
      ws_.async_write(asio::buffer(s.data), Track(&write_));
      if (!Pump([&] { return write_.done || Due(); }, SteadyTime::max())) return false;
      if (!write_.done) return LeaveDue();
      if (write_.err) {
        if (!server_closed_) r_.ended = "server closed the connection (write: " + write_.err.message() + ")";
        server_closed_ = true;
        return false;
      }
    }
    return true;
  }

  // Reads until `until`; false when the hang_up came or the server closed meanwhile.
  bool Wait(SteadyTime until) {
    if (!Pump([&] { return server_closed_ || Due(); }, until)) return false;
    if (server_closed_) return false;
    if (Due()) return LeaveDue();
    return true;
  }

  bool LeaveDue() {
    Leave(req_.hang_up->how, DueWhy());
    return false;
  }

  // After the sends: wait for the hang_up's moment, or read for read_for and close politely.
  void Finish() {
    if (req_.hang_up) {
      Wait(SteadyTime::max());
      return;
    }
    if (Wait(Clock::now() + req_.read_for.value_or(Millis(0)))) Leave(HangUpSpec::How::kCloseFrame, "done");
  }

  // Hands the socket back to EndSocket: asio gives up the fd and aborts what is pending.
  std::string EndLowest(HangUpSpec::How how) {
    auto& socket = beast::get_lowest_layer(ws_);
    if (!socket.is_open()) return "already closed";
    beast::error_code ec;
    int fd = socket.release(ec);
    if (ec) return "release: " + ec.message();
    return EndSocket(fd, how);
  }

  void Leave(HangUpSpec::How how, const std::string& why) {
    left_ = true;
    r_.hung_up = true;
    if (how == HangUpSpec::How::kCloseFrame) {
      r_.ended = (why == "done" ? "" : why + ": ") + CloseFrame();
      return;
    }
    if (how == HangUpSpec::How::kStall) {
      beast::error_code ec;
      beast::get_lowest_layer(ws_).cancel(ec);  // nothing more is read from here on
      Drain();
      auto until = Clock::now() + req_.hang_up->stall_for;
      while (Clock::now() < until && !(req_.abort && req_.abort())) std::this_thread::sleep_for(kSlice);
      r_.ended = why + ": stalled " + FormatDuration(req_.hang_up->stall_for) + " (" + std::to_string(r_.pings) +
                 " pings read before), then " + EndLowest(HangUpSpec::How::kClose);
      return;
    }
    r_.ended = why + ": " + EndLowest(how);
  }

  // The polite way: a close frame, then the server's answer (the pending read sees it).
  std::string CloseFrame() {
    if (server_closed_) return r_.ended;
    ws_.async_close(websocket::close_code::normal, Track(&close_));
    Pump([&] { return close_.done && !reading_; }, deadline_ - std::chrono::milliseconds(1));
    if (!close_.done) {
      return "close frame sent; no answer within the step's timeout: " + EndLowest(HangUpSpec::How::kClose);
    }
    if (close_.err) return "close frame sent; " + close_.err.message() + ": " + EndLowest(HangUpSpec::How::kClose);
    r_.close_code = ws_.reason().code;
    return "close frame sent; server answered " + std::to_string(r_.close_code) + ", " +
           (beast::get_lowest_layer(ws_).is_open() ? EndLowest(HangUpSpec::How::kClose) : "closed");
  }

  // Lets the aborted operations' handlers run, so none outlives the session.
  void Drain() {
    stop_reading_ = true;
    if ((reading_ || pending_ > 0) && beast::get_lowest_layer(ws_).is_open()) {
      beast::error_code ec;
      beast::get_lowest_layer(ws_).cancel(ec);
    }
    ioc_.restart();
    auto until = Clock::now() + std::chrono::seconds(2);
    while ((reading_ || pending_ > 0) && Clock::now() < until) ioc_.run_for(kSlice);
    ioc_.poll();
  }

  asio::io_context& ioc_;
  Ws ws_;
  const WebSocketRequest& req_;
  SteadyTime start_, deadline_;
  SteadyTime leave_at_ = SteadyTime::max();
  beast::flat_buffer buffer_;
  websocket::response_type response_;
  Op handshake_, write_, close_;
  int pending_ = 0;  // operations other than the read whose handlers have not run
  bool reading_ = false, stop_reading_ = false, left_ = false, server_closed_ = false;
  bool timed_out_ = false, aborted_ = false;
  std::string error_;
  WebSocketResult r_;
};

// `hang_up: { at: sent }`: Beast writes the handshake and reads the answer in one operation,
// so the request goes out by hand and the client leaves before any answer.
Result<WebSocketResult> LeaveAtSent(Connection conn, const StreamUrl& url, const WebSocketRequest& req,
                                    SteadyTime start) {
  HeaderList headers = req.headers;
  headers.emplace_back("Connection", "Upgrade");
  headers.emplace_back("Upgrade", "websocket");
  headers.emplace_back("Sec-WebSocket-Version", "13");
  headers.emplace_back("Sec-WebSocket-Key", "bGVha3Byb2JlIGxlYXZlcyE=");
  Status st = conn.WriteAll(RequestHead("GET", url.path_query, url.host, headers, 0), start + req.timeout);
  if (!st.ok()) return Status::Error(req.url + ": " + st.message());
  WebSocketResult r;
  r.hung_up = true;
  HangUpSpec::How how = req.hang_up->how == HangUpSpec::How::kCloseFrame ? HangUpSpec::How::kClose : req.hang_up->how;
  r.ended = "hang_up at sent: " + conn.End(how, req.hang_up->stall_for, start + req.timeout);
  r.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
  return r;
}

}  // namespace

Result<WebSocketResult> RunWebSocket(const WebSocketRequest& req) {
  auto start = Clock::now();
  auto url = ParseStreamUrl(req.url, !req.socket.empty(), "ws wss");
  if (!url.ok()) return url.status();
  ConnectOptions options = StreamConnectOptions(url.value(), req.socket, req.timeout, req.hang_up, req.abort);
  auto conn = Connection::Open(options);
  if (!conn.ok()) return Status::Error(req.url + ": " + conn.status().message());
  if (req.hang_up && req.hang_up->at == HangUpSpec::At::kSent) return LeaveAtSent(std::move(conn.value()), url.value(), req, start);

  asio::io_context ioc;
  beast::error_code ec;
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  getsockname(conn->fd(), reinterpret_cast<sockaddr*>(&addr), &len);
  Socket socket(ioc);
  socket.assign(asio::generic::stream_protocol(addr.ss_family, addr.ss_family == AF_UNIX ? 0 : IPPROTO_TCP),
                conn->Release(), ec);
  if (ec) return Status::Error(req.url + ": " + ec.message());
  if (url->scheme != "wss") {
    Session<websocket::stream<Socket>> s(ioc, websocket::stream<Socket>(std::move(socket)), req, start);
    return s.Run(url.value());
  }
  asio::ssl::context tls(asio::ssl::context::tls_client);
  if (req.insecure) {
    tls.set_verify_mode(asio::ssl::verify_none);
  } else {
    tls.set_default_verify_paths();
    tls.set_verify_mode(asio::ssl::verify_peer);
  }
  using TlsWs = websocket::stream<asio::ssl::stream<Socket>>;
  Session<TlsWs> s(ioc, TlsWs(std::move(socket), tls), req, start);
  return s.Run(url.value());
}

}  // namespace leakprobe
