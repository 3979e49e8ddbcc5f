// The only translation unit that includes Boost.Process: it costs ~9 s and ~570 MB to
// compile, so it stays in one place.
#include "wire/target_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

#include <boost/process/args.hpp>
#include <boost/process/child.hpp>
#include <boost/process/env.hpp>
#include <boost/process/environment.hpp>
#include <boost/process/exe.hpp>
#include <boost/process/extend.hpp>
#include <boost/process/search_path.hpp>
#include <boost/process/start_dir.hpp>

namespace leakprobe {

namespace bp = boost::process;

namespace {

// Runs in the child between fork and exec: async-signal-safe calls only.
struct ChildSetup : bp::extend::handler {
  int out_fd;
  int err_fd;
  pid_t parent;
  template <typename Executor>
  void on_exec_setup(Executor&) const {
    setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    // A harness started with `&` has SIGINT ignored, and the target would inherit that.
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGCHLD}) {
      signal(sig, SIG_DFL);
    }
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the harness died before prctl
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(out_fd, 1);
    dup2(err_fd, 2);
  }
};

// Keeps the last `limit` bytes of a stream.
class Tail {
 public:
  explicit Tail(size_t limit) : limit_(limit) {}
  void Append(const char* data, size_t n) {
    std::lock_guard<std::mutex> lock(mu_);
    text_.append(data, n);
    if (text_.size() > 2 * limit_) text_.erase(0, text_.size() - limit_);
  }
  std::string Last(size_t n) const {
    std::lock_guard<std::mutex> lock(mu_);
    size_t keep = std::min({n, limit_, text_.size()});
    return text_.substr(text_.size() - keep);
  }

 private:
  mutable std::mutex mu_;
  std::string text_;
  size_t limit_;
};

void ReadLoop(int fd, Tail* tail, const std::atomic<bool>* stop, std::atomic<int>* done) {
  char buf[65536];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    int r = poll(&p, 1, 100);
    if (r < 0 && errno != EINTR) break;
    if (r > 0) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n > 0) {
        tail->Append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n == 0 || (errno != EINTR && errno != EAGAIN)) break;
    } else if (stop->load()) {
      break;
    }
  }
  close(fd);
  ++*done;
}

}  // namespace

std::string SignalName(int signal) {
  switch (signal) {
    case SIGHUP: return "SIGHUP";
    case SIGINT: return "SIGINT";
    case SIGQUIT: return "SIGQUIT";
    case SIGILL: return "SIGILL";
    case SIGTRAP: return "SIGTRAP";
    case SIGABRT: return "SIGABRT";
    case SIGBUS: return "SIGBUS";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGUSR1: return "SIGUSR1";
    case SIGSEGV: return "SIGSEGV";
    case SIGUSR2: return "SIGUSR2";
    case SIGPIPE: return "SIGPIPE";
    case SIGALRM: return "SIGALRM";
    case SIGTERM: return "SIGTERM";
  }
  return "signal " + std::to_string(signal);
}

std::string ExitInfo::Describe() const {
  if (!exited) return "running";
  if (signal != 0) return "killed by signal " + std::to_string(signal) + " (" + SignalName(signal) + ")";
  return "exited with status " + std::to_string(code);
}

struct TargetProcess::Impl {
  pid_t pid = -1;
  ExitInfo exit;
  Tail out{1 << 20};
  Tail err{1 << 20};
  std::atomic<bool> stop_readers{false};
  std::atomic<int> readers_done{0};
  std::thread out_reader;
  std::thread err_reader;

  Impl(size_t limit) : out(limit), err(limit) {}

  void Record(int status) {
    exit.exited = true;
    if (WIFSIGNALED(status)) {
      exit.signal = WTERMSIG(status);
    } else if (WIFEXITED(status)) {
      exit.code = WEXITSTATUS(status);
    }
  }
  std::mutex poll_mu;  // Running() may be asked from a step's watchdog thread too

  bool Poll() {
    std::lock_guard<std::mutex> lock(poll_mu);
    if (exit.exited) return false;
    int status = 0;
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) {
      Record(status);
      return false;
    }
    if (r < 0 && errno == ECHILD) {
      exit.exited = true;  // reaped elsewhere; the status is lost
      return false;
    }
    return true;
  }
  void JoinReaders() {
    // Output still in the pipes is read; a grandchild that escaped the group cannot hold us.
    auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    while (readers_done.load() < 2 && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    stop_readers = true;
    if (out_reader.joinable()) out_reader.join();
    if (err_reader.joinable()) err_reader.join();
  }
};

TargetProcess::TargetProcess(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TargetProcess::~TargetProcess() {
  if (impl_->pid > 0 && !impl_->exit.exited) Stop(SIGKILL, Millis(0));
  kill(-impl_->pid, SIGKILL);  // stragglers of the group, if any
  impl_->stop_readers = true;
  if (impl_->out_reader.joinable()) impl_->out_reader.join();
  if (impl_->err_reader.joinable()) impl_->err_reader.join();
}

Result<std::unique_ptr<TargetProcess>> TargetProcess::Start(const TargetOptions& options) {
  if (options.argv.empty()) return Status::Error("target.run is empty");
  const std::string& program = options.argv[0];
  std::filesystem::path exe = program;
  if (program.find('/') == std::string::npos) {
    exe = bp::search_path(program);
    if (exe.empty()) return Status::Error("cannot start " + program + ": not found in PATH");
  }
  if (access(exe.c_str(), X_OK) != 0) {
    return Status::Error("cannot start " + program + ": " + std::strerror(errno));
  }

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return Status::Error(std::string("pipe: ") + std::strerror(errno));
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    return Status::Error(std::string("pipe: ") + std::strerror(errno));
  }

  auto impl = std::make_unique<Impl>(options.output_limit);
  ChildSetup setup;
  setup.out_fd = out_pipe[1];
  setup.err_fd = err_pipe[1];
  setup.parent = getpid();

  bp::environment env = boost::this_process::environment();
  for (const auto& [k, v] : options.env) env[k] = v;
  std::vector<std::string> args(options.argv.begin() + 1, options.argv.end());
  std::string error;
  try {
    std::error_code ec;
    bp::child child = options.cwd.empty()
        ? bp::child(bp::exe(exe.string()), bp::args(args), env, setup, ec)
        : bp::child(bp::exe(exe.string()), bp::args(args), env, bp::start_dir(options.cwd), setup, ec);
    if (ec) {
      error = ec.message();
    } else {
      impl->pid = child.id();
      child.detach();  // reaped here with waitpid, never by Boost's SIGCHLD handling
    }
  } catch (const std::exception& e) {
    error = e.what();
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (impl->pid <= 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    return Status::Error("cannot start " + program + ": " + error);
  }
  setpgid(impl->pid, impl->pid);  // also from this side, so a group kill right away finds it
  Impl* raw = impl.get();
  raw->out_reader = std::thread(ReadLoop, out_pipe[0], &raw->out, &raw->stop_readers, &raw->readers_done);
  raw->err_reader = std::thread(ReadLoop, err_pipe[0], &raw->err, &raw->stop_readers, &raw->readers_done);
  return std::unique_ptr<TargetProcess>(new TargetProcess(std::move(impl)));
}

pid_t TargetProcess::pid() const { return impl_->pid; }

bool TargetProcess::Running() { return impl_->Poll(); }

const ExitInfo& TargetProcess::exit_info() const { return impl_->exit; }

ExitInfo TargetProcess::Stop(int signal, Millis grace) {
  using Clock = std::chrono::steady_clock;
  if (impl_->Poll()) {
    kill(-impl_->pid, signal);
    auto deadline = Clock::now() + grace;
    while (impl_->Poll() && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  kill(-impl_->pid, SIGKILL);  // the leader if it ignored `signal`, and whatever it forked
  if (!impl_->exit.exited) {
    int status = 0;
    if (waitpid(impl_->pid, &status, 0) == impl_->pid) impl_->Record(status);
    else impl_->exit.exited = true;
  }
  impl_->JoinReaders();
  return impl_->exit;
}

std::string TargetProcess::StdoutTail(size_t max_bytes) const { return impl_->out.Last(max_bytes); }
std::string TargetProcess::StderrTail(size_t max_bytes) const { return impl_->err.Last(max_bytes); }

Result<int> PickFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Status::Error(std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    std::string e = std::strerror(errno);
    close(fd);
    return Status::Error("cannot find a free port: " + e);
  }
  close(fd);
  return static_cast<int>(ntohs(addr.sin_port));
}

}  // namespace leakprobe
