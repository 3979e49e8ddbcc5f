#include "wire/http1.h"

#include <strings.h>

#include <cstdlib>

namespace leakprobe {

namespace {

constexpr size_t kMaxHead = 64 * 1024;

bool Has(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return true;
  }
  return false;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::string RequestHead(const std::string& method, const std::string& path_query,
                        const std::string& host, const HeaderList& headers, size_t body_size) {
  std::string out = method + " " + (path_query.empty() ? "/" : path_query) + " HTTP/1.1\r\n";
  if (!Has(headers, "Host")) out += "Host: " + host + "\r\n";
  for (const auto& [k, v] : headers) out += k + ": " + v + "\r\n";
  bool has_body_method = method == "POST" || method == "PUT" || method == "PATCH";
  if (!Has(headers, "Content-Length") && !Has(headers, "Transfer-Encoding") &&
      (body_size > 0 || has_body_method)) {
    out += "Content-Length: " + std::to_string(body_size) + "\r\n";
  }
  out += "\r\n";
  return out;
}

std::string HeaderValue(const HeaderList& headers, std::string_view name) {
  for (const auto& [k, v] : headers) {
    if (k.size() == name.size() && strncasecmp(k.data(), name.data(), name.size()) == 0) return v;
  }
  return "";
}

Result<size_t> ParseResponseHead(std::string_view bytes, ResponseHead* head) {
  size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (bytes.size() > kMaxHead) return Status::Error("response head over 64 KiB");
    if (bytes.size() >= 5 && bytes.substr(0, 5) != "HTTP/") {
      return Status::Error("bad status line \"" + std::string(bytes.substr(0, bytes.find('\r'))).substr(0, 60) + "\"");
    }
    return size_t{0};
  }
  std::string_view text = bytes.substr(0, end);
  size_t eol = text.find("\r\n");
  std::string_view status_line = text.substr(0, eol);
  // "HTTP/1.1 101 Switching Protocols"
  if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/" || status_line[8] != ' ') {
    return Status::Error("bad status line \"" + std::string(status_line.substr(0, 60)) + "\"");
  }
  int status = std::atoi(std::string(status_line.substr(9, 3)).c_str());
  if (status < 100 || status > 999) {
    return Status::Error("bad status line \"" + std::string(status_line.substr(0, 60)) + "\"");
  }
  ResponseHead h;
  h.status = status;
  h.reason = status_line.size() > 13 ? std::string(status_line.substr(13)) : "";
  while (eol != std::string_view::npos) {
    size_t start = eol + 2;
    eol = text.find("\r\n", start);
    std::string_view line = text.substr(start, eol == std::string_view::npos ? std::string_view::npos : eol - start);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) continue;  // tolerate junk lines
    h.headers.emplace_back(Trim(line.substr(0, colon)), Trim(line.substr(colon + 1)));
  }
  std::string te = HeaderValue(h.headers, "Transfer-Encoding");
  h.chunked = strcasecmp(te.c_str(), "chunked") == 0;
  std::string cl = HeaderValue(h.headers, "Content-Length");
  if (!cl.empty() && !h.chunked) h.content_length = std::strtoull(cl.c_str(), nullptr, 10);
  *head = std::move(h);
  return end + 4;
}

Result<ResponseHead> ReadResponseHead(ByteStream* stream, std::string* buffer, SteadyTime deadline) {
  ResponseHead head;
  for (;;) {
    auto parsed = ParseResponseHead(*buffer, &head);
    if (!parsed.ok()) return parsed.status();
    if (parsed.value() > 0) {
      buffer->erase(0, parsed.value());
      return head;
    }
    auto n = stream->ReadSome(buffer, 16384, deadline);
    if (!n.ok()) return n.status();
    if (n.value() == 0) return Status::Error("connection closed before the status line");
  }
}

Status ChunkedDecoder::Feed(std::string_view raw, std::string* out) {
  while (!raw.empty() && state_ != State::kDone) {
    switch (state_) {
      case State::kSize:
      case State::kDataEnd:
      case State::kTrailer: {
        size_t nl = raw.find('\n');
        line_.append(raw.substr(0, nl));
        if (nl == std::string_view::npos) return Status::Ok();
        raw.remove_prefix(nl + 1);
        std::string line = Trim(line_);
        line_.clear();
        if (state_ == State::kDataEnd) {
          state_ = State::kSize;
        } else if (state_ == State::kTrailer) {
          if (line.empty()) state_ = State::kDone;
        } else {
          char* endp = nullptr;
          unsigned long long size = std::strtoull(line.c_str(), &endp, 16);
          if (line.empty() || endp == line.c_str()) return Status::Error("bad chunk size line");
          left_ = static_cast<size_t>(size);
          state_ = left_ == 0 ? State::kTrailer : State::kData;
        }
        break;
      }
      case State::kData: {
        size_t take = std::min(left_, raw.size());
        out->append(raw.substr(0, take));
        raw.remove_prefix(take);
        left_ -= take;
        if (left_ == 0) state_ = State::kDataEnd;
        break;
      }
      case State::kDone: break;
    }
  }
  return Status::Ok();
}

}  // namespace leakprobe
