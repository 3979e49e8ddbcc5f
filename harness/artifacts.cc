#include "harness/artifacts.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace leakprobe {

std::string SafeFileName(std::string_view name) {
  std::string out;
  bool gap = false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '-' || c == '_';
    if (ok) {
      if (gap && !out.empty()) out += '_';
      out += c;
      gap = false;
    } else {
      gap = true;
    }
    if (out.size() >= 100) break;
  }
  if (out.empty() || out == "." || out == "..") out = "_" + out;
  return out;
}

ScenarioArtifacts::ScenarioArtifacts(const std::string& root, const std::string& suite,
                                     const std::string& scenario) {
  if (!root.empty()) dir_ = root + "/" + SafeFileName(suite) + "/" + SafeFileName(scenario);
}

Status ScenarioArtifacts::Write(const std::string& name, std::string_view content) const {
  if (dir_.empty()) return Status::Ok();
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  std::string path = dir_ + "/" + name;
  if (ec) return Status::Error("cannot write " + path + ": " + ec.message());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return Status::Error("cannot write " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace leakprobe
