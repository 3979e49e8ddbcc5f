// Status and Result<T>: errors as values.
//
// A Status is ok, or carries a message that already says where ("logs.yaml:14:9: unknown
// key"). Result<T> is a T or a Status. Neither does I/O; both are plain values, safe to copy
// and to move between threads.
#ifndef LEAKPROBE_BASE_STATUS_H_
#define LEAKPROBE_BASE_STATUS_H_

#include <optional>
#include <string>
#include <utility>

namespace leakprobe {

class Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !error_; }
  // The message; empty when ok().
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string message) : error_(true), message_(std::move(message)) {}
  bool error_ = false;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {}  // NOLINT; REQUIRES: !status.ok()

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  // REQUIRES: ok()
  T& value() { return *value_; }
  const T& value() const { return *value_; }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace leakprobe

#endif  // LEAKPROBE_BASE_STATUS_H_
