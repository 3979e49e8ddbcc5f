#include "wire/exec_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "wire/interrupt.h"

extern char** environ;

namespace leakprobe {

namespace {

using Clock = std::chrono::steady_clock;

void Append(int fd, std::string* to, size_t* counted, size_t max, bool* open) {
  char buf[16384];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    *open = false;
    return;
  }
  *counted += static_cast<size_t>(n);
  if (to->size() < max) to->append(buf, std::min(static_cast<size_t>(n), max - to->size()));
}

}  // namespace

std::string ProcessResult::Describe() const {
  if (timed_out) return "timed out after " + FormatDuration(elapsed) + " (killed)";
  if (aborted) return "was stopped after " + FormatDuration(elapsed) + " (killed)";
  if (signal) return "was killed by signal " + std::to_string(signal);
  return "exited with code " + std::to_string(exit_code);
}

namespace {

// The child's environment: the harness's own, with spec.env's entries replacing or added.
std::vector<std::string> EnvOf(const ProcessSpec& spec) {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    std::string entry = *e;
    std::string name = entry.substr(0, entry.find('='));
    bool overridden = false;
    for (const auto& [k, v] : spec.env) overridden |= k == name;
    if (!overridden) env.push_back(entry);
  }
  for (const auto& [k, v] : spec.env) env.push_back(k + "=" + v);
  return env;
}

// Three close-on-exec pipes: stdout, stderr, and the one exec's failure is told through.
Status OpenPipes(int out_pipe[2], int err_pipe[2], int exec_pipe[2]) {
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return Status::Error(std::string("pipe: ") + std::strerror(errno));
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]), ::close(out_pipe[1]);
    return Status::Error(std::string("pipe: ") + std::strerror(errno));
  }
  if (::pipe2(exec_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]), ::close(out_pipe[1]), ::close(err_pipe[0]), ::close(err_pipe[1]);
    return Status::Error(std::string("pipe: ") + std::strerror(errno));
  }
  return Status::Ok();
}

// In the child, between fork and exec: only async-signal-safe calls. Never returns.
[[noreturn]] void ExecChild(const char* cwd, char** argv, char** envp, int out_fd, int err_fd, int exec_fd) {
  ::setpgid(0, 0);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT, SIGCHLD}) ::signal(sig, SIG_DFL);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) ::dup2(devnull, 0);
  ::dup2(out_fd, 1);
  ::dup2(err_fd, 2);
  int code = 0;
  if (cwd && ::chdir(cwd) != 0) {
    code = errno;
  } else {
    ::execvpe(argv[0], argv, envp);
    code = errno;
  }
  // Tell the parent why, through the close-on-exec pipe that exec would have closed.
  ssize_t ignored = ::write(exec_fd, &code, sizeof code);
  (void)ignored;
  ::_exit(127);
}

// Reads the child's stdout and stderr until it exits and its pipes close (or 200 ms after
// it exited: a daemon child may hold them), killing its group at the deadline, on an
// interrupt or when spec.abort says so. Leaves its wait status in *status.
void Collect(pid_t pid, int out_fd, int err_fd, const ProcessSpec& spec, Clock::time_point start,
             ProcessResult* r, int* status) {
  bool out_open = true, err_open = true, exited = false;
  Clock::time_point exited_at;
  auto deadline = start + spec.timeout;
  for (;;) {
    if (!exited && ::waitpid(pid, status, WNOHANG) == pid) {
      exited = true;
      exited_at = Clock::now();
    }
    if (exited && (!out_open && !err_open)) break;
    auto now = Clock::now();
    if (exited && (now - exited_at > Millis(200) || now >= deadline)) break;  // a daemon child holds the pipes
    bool abort = !exited && spec.abort && spec.abort();
    if (!exited && (now >= deadline || Interrupted() || abort)) {
      ::kill(-pid, SIGKILL);
      ::kill(pid, SIGKILL);
      while (::waitpid(pid, status, 0) < 0 && errno == EINTR) {
      }
      exited = true;
      r->timed_out = now >= deadline;
      r->aborted = abort;
      exited_at = Clock::now();
      continue;
    }
    pollfd fds[2];
    int n = 0;
    if (out_open) fds[n++] = {out_fd, POLLIN, 0};
    if (err_open) fds[n++] = {err_fd, POLLIN, 0};
    if (n == 0) {
      ::usleep(10000);
      continue;
    }
    int ready = ::poll(fds, n, 50);
    if (ready <= 0) continue;
    for (int i = 0; i < n; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (fds[i].fd == out_fd) Append(out_fd, &r->out, &r->out_bytes, spec.max_output, &out_open);
      else Append(err_fd, &r->err, &r->err_bytes, spec.max_output, &err_open);
    }
    if (exited) exited_at = Clock::now();  // still talking: give it another 200 ms
  }
}

}  // namespace

Result<ProcessResult> RunProcess(const ProcessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty()) return Status::Error("nothing to run: empty argv");
  // Everything the child needs is built before fork: between fork and exec only
  // async-signal-safe calls are allowed.
  std::vector<std::string> env_strings = EnvOf(spec);
  std::vector<char*> envp, argv;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = spec.argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int out_pipe[2], err_pipe[2], exec_pipe[2];
  Status piped = OpenPipes(out_pipe, err_pipe, exec_pipe);
  if (!piped.ok()) return piped;
  const char* cwd = spec.cwd.empty() ? nullptr : spec.cwd.c_str();
  auto start = Clock::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    int err = errno;
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1], exec_pipe[0], exec_pipe[1]}) ::close(fd);
    return Status::Error(std::string("fork: ") + std::strerror(err));
  }
  if (pid == 0) ExecChild(cwd, argv.data(), envp.data(), out_pipe[1], err_pipe[1], exec_pipe[1]);
  ::setpgid(pid, pid);  // also from here: no race with a kill of the group
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ::close(exec_pipe[1]);
  int exec_errno = 0;
  ssize_t got;
  do {
    got = ::read(exec_pipe[0], &exec_errno, sizeof exec_errno);
  } while (got < 0 && errno == EINTR);
  ::close(exec_pipe[0]);
  if (got == sizeof exec_errno) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    int status;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::string what = cwd && exec_errno == ENOENT && ::access(cwd, F_OK) != 0
                           ? "cannot enter folder \"" + spec.cwd + "\""
                           : "cannot run \"" + spec.argv[0] + "\"";
    return Status::Error(what + ": " + std::strerror(exec_errno));
  }

  ProcessResult r;
  int status = 0;
  Collect(pid, out_pipe[0], err_pipe[0], spec, start, &r, &status);
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  r.elapsed = std::chrono::duration_cast<Millis>(Clock::now() - start);
  if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
  } else if (WIFEXITED(status)) {
    r.exit_code = WEXITSTATUS(status);
  }
  return r;
}

}  // namespace leakprobe
