#include "wire/proc_stats.h"

#include <dirent.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace leakprobe {

Result<ProcStats> ReadProcStats(pid_t pid) {
  std::string dir = "/proc/" + std::to_string(pid);
  ProcStats s;
  DIR* d = opendir((dir + "/fd").c_str());
  if (d == nullptr) return Status::Error("cannot read " + dir + "/fd: " + std::strerror(errno));
  s.fds = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') ++s.fds;
  }
  closedir(d);
  std::ifstream status(dir + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) s.threads = std::stoll(line.substr(8));
  }
  if (s.threads < 0) return Status::Error("cannot read " + dir + "/status: no Threads line");
  return s;
}

Result<pid_t> ReadPidFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::Error("pid_file " + path + ": cannot read: " + std::strerror(errno));
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  size_t i = text.find_first_not_of(" \t\r\n");
  size_t end = text.find_first_not_of("0123456789", i == std::string::npos ? text.size() : i);
  if (i == std::string::npos || end == i) return Status::Error("pid_file " + path + ": no pid in \"" + text.substr(0, 40) + "\"");
  long long pid = std::stoll(text.substr(i, end - i));
  if (pid <= 0 || pid > 1 << 22) return Status::Error("pid_file " + path + ": no pid in \"" + text.substr(0, 40) + "\"");
  return static_cast<pid_t>(pid);
}

}  // namespace leakprobe
