// A gRPC call over nghttp2 on our own socket (grpc_client.h).
#include "wire/grpc_client.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <thread>

#include "wire/grpc_frame.h"
#include "wire/tls_session.h"

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;

// One call's state; nghttp2's callbacks reach it through user_data.
struct Call {
  const GrpcCall& spec;
  Connection conn;
  std::unique_ptr<TlsSession> tls;  // with spec.tls; on conn
  nghttp2_session* session = nullptr;
  int32_t stream = -1;
  std::string out;               // request bytes (framed messages) not yet taken by nghttp2
  size_t next = 0;               // the next of spec.messages to queue
  SteadyTime next_at;
  bool all_queued = false;
  bool headers_seen = false;
  bool closed = false;           // the stream ended (trailers, or RST_STREAM from the server)
  uint32_t close_error = 0;
  bool ping_acked = false;
  GrpcFrameReader reader;
  Status framing = Status::Ok();
  GrpcReply reply;

  Call(const GrpcCall& s, Connection c) : spec(s), conn(std::move(c)) {}
  ~Call() {
    if (session) nghttp2_session_del(session);
  }

  void AddMessage(std::string bytes) {
    ++reply.message_count;
    if (reply.messages.size() < spec.max_kept) reply.messages.push_back(std::move(bytes));
    else reply.messages.back() = std::move(bytes);
  }
};

ssize_t ReadRequest(nghttp2_session*, int32_t, uint8_t* buf, size_t length, uint32_t* flags,
                    nghttp2_data_source*, void* user_data) {
  auto* c = static_cast<Call*>(user_data);
  size_t n = std::min(length, c->out.size());
  if (n > 0) {
    std::memcpy(buf, c->out.data(), n);
    c->out.erase(0, n);
  }
  if (c->out.empty() && c->all_queued && c->spec.half_close) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
  return n > 0 ? static_cast<ssize_t>(n) : static_cast<ssize_t>(NGHTTP2_ERR_DEFERRED);
}

int OnHeader(nghttp2_session*, const nghttp2_frame* frame, const uint8_t* name, size_t namelen,
             const uint8_t* value, size_t valuelen, uint8_t, void* user_data) {
  auto* c = static_cast<Call*>(user_data);
  if (frame->hd.stream_id != c->stream) return 0;
  std::string k(reinterpret_cast<const char*>(name), namelen);
  std::string v(reinterpret_cast<const char*>(value), valuelen);
  if (k == ":status") c->reply.http_status = std::atoi(v.c_str());
  else if (k == "grpc-status") c->reply.code = std::atoi(v.c_str());
  else if (k == "grpc-message") c->reply.grpc_message = v;
  c->reply.headers.emplace_back(std::move(k), std::move(v));
  return 0;
}

int OnFrame(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  auto* c = static_cast<Call*>(user_data);
  if (frame->hd.type == NGHTTP2_HEADERS && frame->hd.stream_id == c->stream) c->headers_seen = true;
  if (frame->hd.type == NGHTTP2_PING && (frame->hd.flags & NGHTTP2_FLAG_ACK)) c->ping_acked = true;
  return 0;
}

int OnData(nghttp2_session*, uint8_t, int32_t stream, const uint8_t* data, size_t len, void* user_data) {
  auto* c = static_cast<Call*>(user_data);
  if (stream != c->stream || !c->framing.ok()) return 0;
  std::vector<std::string> messages;
  c->framing = c->reader.Feed(std::string_view(reinterpret_cast<const char*>(data), len), &messages);
  for (std::string& m : messages) c->AddMessage(std::move(m));
  return 0;
}

int OnClose(nghttp2_session*, int32_t stream, uint32_t error, void* user_data) {
  auto* c = static_cast<Call*>(user_data);
  if (stream != c->stream) return 0;
  c->closed = true;
  c->close_error = error;
  return 0;
}

// Hands nghttp2's pending frames to the socket.
Status Flush(Call* c, SteadyTime deadline) {
  for (;;) {
    const uint8_t* data = nullptr;
    ssize_t n = nghttp2_session_mem_send(c->session, &data);
    if (n < 0) return Status::Error(std::string("HTTP/2: ") + nghttp2_strerror(static_cast<int>(n)));
    if (n == 0) return Status::Ok();
    std::string_view bytes(reinterpret_cast<const char*>(data), n);
    Status st = c->tls ? c->tls->Write(bytes, deadline) : c->conn.WriteAll(bytes, deadline);
    if (!st.ok()) return st;
  }
}

// Reads once, until `until`, and feeds nghttp2. False with *st set on EOF or an error.
bool Receive(Call* c, SteadyTime until, Status* st) {
  std::string buf;
  auto n = c->tls ? c->tls->Read(&buf, until) : c->conn.ReadSome(&buf, 65536, until);
  if (!n.ok()) {
    if (IsTimedOut(n.status())) return true;
    *st = n.status();
    return false;
  }
  if (n.value() == 0) {
    *st = Status::Error("the server closed the connection before the call ended");
    return false;
  }
  ssize_t used = nghttp2_session_mem_recv(c->session, reinterpret_cast<const uint8_t*>(buf.data()), buf.size());
  if (used < 0) {
    *st = Status::Error(std::string("HTTP/2: ") + nghttp2_strerror(static_cast<int>(used)));
    return false;
  }
  return true;
}

// Queues the messages whose time has come, and resumes the request stream.
void QueueDue(Call* c, SteadyTime now) {
  bool queued = false;
  while (c->next < c->spec.messages.size() && now >= c->next_at) {
    const GrpcCall::Message& m = c->spec.messages[c->next];
    if (!m.pause_only) c->out += EncodeGrpcMessage(m.bytes);
    queued = true;
    if (++c->next < c->spec.messages.size()) c->next_at = now + c->spec.messages[c->next].pause_before;
  }
  if (c->next == c->spec.messages.size() && !c->all_queued) {
    c->all_queued = true;
    queued = true;
  }
  if (queued) nghttp2_session_resume_data(c->session, c->stream);
}

bool HangUpDue(const Call& c, const HangUpSpec& h, SteadyTime start, SteadyTime now) {
  switch (h.at) {
    case HangUpSpec::At::kAfter: return now >= start + h.after;
    case HangUpSpec::At::kSent: return c.all_queued && c.out.empty() && !nghttp2_session_want_write(c.session);
    case HangUpSpec::At::kStatus: return c.headers_seen;
    case HangUpSpec::At::kBody: return c.reply.message_count >= 1;
    case HangUpSpec::At::kMessages: return c.reply.message_count >= static_cast<size_t>(h.messages);
  }
  return false;
}

// Sends FIN and reads (discarding) until the server closes too, or for at most a second:
// the server reads an EOF, never an RST for frames it sent while the FIN was on its way (a
// gRPC-Go server answers data with WINDOW_UPDATE and PING frames). "closed (FIN)".
std::string CloseWithFin(Call* c, SteadyTime deadline) {
  deadline = std::min(deadline, Clock::now() + std::chrono::seconds(1));
  c->conn.End(HangUpSpec::How::kHalfClose, Millis(0), deadline);
  return "closed (FIN)";
}

// Leaves as `h` says; returns what happened, for the step log.
std::string HangUp(Call* c, const HangUpSpec& h, SteadyTime deadline) {
  std::string what = DescribeHangUp(h) + ": ";
  switch (h.how) {
    case HangUpSpec::How::kCancel: {
      // RST_STREAM CANCEL, then a PING: the server handles frames in order, so its answer
      // says it has seen the cancel before the connection goes.
      nghttp2_submit_rst_stream(c->session, NGHTTP2_FLAG_NONE, c->stream, NGHTTP2_CANCEL);
      nghttp2_submit_ping(c->session, NGHTTP2_FLAG_NONE, nullptr);
      Status st = Flush(c, deadline);
      while (st.ok() && !c->ping_acked && Clock::now() < deadline && Receive(c, deadline, &st)) {
      }
      what += std::string("RST_STREAM CANCEL, ") + (c->ping_acked ? "PING answered, " : "no PING answer, ");
      return what + CloseWithFin(c, deadline);
    }
    case HangUpSpec::How::kStall: {
      // Reads nothing for stall_for: the server's writes fill the stream's HTTP/2 window and
      // the small TCP window. Then the same FIN as close.
      const SteadyTime until = Clock::now() + h.stall_for;
      const auto& abort = c->conn.abort();
      while (Clock::now() < until && !(abort && abort())) std::this_thread::sleep_for(Millis(20));
      return what + "stalled " + FormatDuration(h.stall_for) + ", then " + CloseWithFin(c, deadline);
    }
    case HangUpSpec::How::kReset:
      return what + c->conn.End(HangUpSpec::How::kReset, h.stall_for, deadline);
    default:  // close, keep_open: the socket goes without a GOAWAY
      return what + CloseWithFin(c, deadline);
  }
}

Status Start(Call* c) {
  nghttp2_session_callbacks* cb;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_header_callback(cb, OnHeader);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, OnFrame);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, OnData);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, OnClose);
  int rv = nghttp2_session_client_new(&c->session, cb, c);
  nghttp2_session_callbacks_del(cb);
  if (rv != 0) return Status::Error(std::string("HTTP/2: ") + nghttp2_strerror(rv));
  nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_ENABLE_PUSH, 0}};
  nghttp2_submit_settings(c->session, NGHTTP2_FLAG_NONE, settings, 1);

  auto nv = [](const std::string& k, const std::string& v) {
    return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(k.data())),
                      reinterpret_cast<uint8_t*>(const_cast<char*>(v.data())), k.size(), v.size(),
                      NGHTTP2_NV_FLAG_NONE};
  };
  static const std::string kMethod = ":method", kPost = "POST", kScheme = ":scheme", kHttp = "http", kHttps = "https",
                           kPath = ":path", kAuthority = ":authority", kType = "content-type",
                           kGrpc = "application/grpc", kTe = "te", kTrailers = "trailers",
                           kAgent = "user-agent", kLeakprobe = "leakprobe-grpc";
  std::vector<nghttp2_nv> headers = {nv(kMethod, kPost), nv(kScheme, c->spec.tls ? kHttps : kHttp), nv(kPath, c->spec.path),
                                     nv(kAuthority, c->spec.authority), nv(kType, kGrpc), nv(kTe, kTrailers),
                                     nv(kAgent, kLeakprobe)};
  for (const auto& [k, v] : c->spec.metadata) headers.push_back(nv(k, v));
  nghttp2_data_provider body;
  body.source.ptr = nullptr;
  body.read_callback = ReadRequest;
  c->stream = nghttp2_submit_request(c->session, nullptr, headers.data(), headers.size(), &body, c);
  if (c->stream < 0) return Status::Error(std::string("HTTP/2: ") + nghttp2_strerror(c->stream));
  return Status::Ok();
}

// The code of a stream the server reset without a grpc-status (as grpc-go maps them).
int CodeOfReset(uint32_t error) {
  if (error == NGHTTP2_CANCEL) return 1;           // CANCELLED
  if (error == NGHTTP2_REFUSED_STREAM) return 14;  // UNAVAILABLE
  return 13;                                       // INTERNAL
}

}  // namespace

Result<GrpcReply> DoGrpc(const GrpcCall& spec) {
  const SteadyTime start = Clock::now();
  const SteadyTime deadline = start + spec.timeout;
  ConnectOptions connect = spec.connect;
  if (spec.hang_up && spec.hang_up->how == HangUpSpec::How::kStall && connect.receive_buffer == 0) {
    connect.receive_buffer = 4096;
  }
  auto conn = Connection::Open(connect);
  if (!conn.ok()) return conn.status();
  Call c(spec, std::move(conn.value()));
  if (spec.tls) {
    auto tls = TlsSession::Handshake(&c.conn, spec.tls_host, spec.verify_tls, "h2", /*alpn_required=*/true, deadline);
    if (!tls.ok()) return tls.status();
    c.tls = std::move(tls.value());
  }
  Status st = Start(&c);
  if (!st.ok()) return st;
  c.next_at = start + (spec.messages.empty() ? Millis(0) : spec.messages[0].pause_before);
  for (;;) {
    SteadyTime now = Clock::now();
    QueueDue(&c, now);
    st = Flush(&c, deadline);
    if (!st.ok()) return st;
    if (!c.framing.ok()) return c.framing;
    now = Clock::now();
    if (c.closed) break;
    if (spec.hang_up && HangUpDue(c, *spec.hang_up, start, now)) {
      c.reply.hung_up = true;
      c.reply.how_ended = HangUp(&c, *spec.hang_up, deadline);
      c.reply.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
      return c.reply;
    }
    if (now >= deadline) {
      return Status::Error("timed out after " + FormatDuration(spec.timeout) + " (" +
                           std::to_string(c.reply.message_count) + " messages arrived)");
    }
    SteadyTime until = deadline;
    if (c.next < spec.messages.size()) until = std::min(until, c.next_at);
    if (spec.hang_up && spec.hang_up->at == HangUpSpec::At::kAfter) until = std::min(until, start + spec.hang_up->after);
    if (until > now && !Receive(&c, until, &st)) return st;
  }
  if (!c.reply.code && c.close_error != 0) c.reply.code = CodeOfReset(c.close_error);
  if (!c.reply.code) c.reply.code = 2;  // UNKNOWN: a stream that ended without a status
  c.reply.how_ended = "ended with " + std::to_string(*c.reply.code) + ", " + CloseWithFin(&c, deadline);
  c.reply.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
  return c.reply;
}

}  // namespace leakprobe
