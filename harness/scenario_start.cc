#include "harness/scenario_start.h"

#include <re2/re2.h>

#include "scenarios/template.h"
#include "wire/leak_profile.h"

namespace leakprobe {

std::string GoVersionOf(const GroupedDump& dump) {
  static const re2::RE2 kGoroot(R"(/go-?(1\.\d+(?:\.\d+)?)/src/(?:runtime|net|internal|sync|os)/)");
  std::string version;
  for (const Bucket& b : dump.buckets) {
    for (const Frame& f : b.sample.frames) {
      if (re2::RE2::PartialMatch(f.file, kGoroot, &version)) return "go" + version;
    }
  }
  return "";
}

std::set<std::string> PortNames(const Suite& suite) {
  std::set<std::string> names = {"port"};
  std::vector<std::string> texts = suite.target.run;
  for (const auto& [k, v] : suite.target.env) texts.push_back(v);
  for (const auto& [k, v] : suite.vars) texts.push_back(v);
  for (const std::string& t : {suite.target.cwd, suite.dump.url, suite.dump.socket, suite.target.ready.http,
                               suite.target.ready.tcp, suite.target.ready.unix_socket}) {
    texts.push_back(t);
  }
  for (const std::string& t : texts) {
    for (const std::string& name : TemplateNames(t)) {
      if (name.rfind("port.", 0) == 0) names.insert(name);
    }
  }
  return names;
}

Outcome ExpandScenarioSettings(const Suite& suite, const RunOptions& options, ScenarioContext* ctx) {
  if (!suite.target.run.empty()) {
    for (const std::string& name : PortNames(suite)) {
      auto port = PickFreePort();
      if (!port.ok()) return Outcome::Error("TargetError", port.status().message());
      ctx->vars[name] = std::to_string(port.value());
    }
  }
  for (const auto& [name, tmpl] : suite.vars) {
    bool overridden = false;
    for (const auto& [k, v] : options.vars) overridden |= k == name;
    if (overridden) continue;
    auto v = ctx->Expand(tmpl);
    if (!v.ok()) return Outcome::Error("StepError", "vars." + name + ": " + v.status().message());
    ctx->vars[name] = v.value();
  }
  auto url = ctx->Expand(suite.dump.url);
  auto socket = ctx->Expand(suite.dump.socket);
  if (!url.ok()) return Outcome::Error("StepError", "dump.url: " + url.status().message());
  if (!socket.ok()) return Outcome::Error("StepError", "dump.socket: " + socket.status().message());
  ctx->dump_url = url.value();
  ctx->dump_socket = socket.value();
  ctx->dump_limits = {suite.dump.max_bytes, suite.dump.timeout};
  // The leak profile lives beside an HTTP dump; a gops agent or a SIGQUIT trace has none.
  if (suite.dump.gops.empty() && !suite.dump.sigquit) {
    ctx->leak_url = LeakProfileUrl(ctx->dump_url, suite.dump.leak_profile);
  }
  if (!suite.dump.gops.empty()) {
    auto gops = ctx->Expand(suite.dump.gops);
    if (!gops.ok()) return Outcome::Error("StepError", "dump.gops: " + gops.status().message());
    ctx->dump_url = "gops://" + gops.value();  // FetchDump knows the scheme
  }
  return Outcome::Ok();
}

Outcome StartTarget(const Suite& suite, ScenarioContext* ctx, std::unique_ptr<TargetProcess>* target_out,
                    std::string* command) {
  TargetOptions opts;
  for (const std::string& arg : suite.target.run) {
    auto a = ctx->Expand(arg);
    if (!a.ok()) return Outcome::Error("TargetError", "target.run: " + a.status().message());
    opts.argv.push_back(a.value());
  }
  for (const auto& [k, v] : suite.target.env) {
    auto e = ctx->Expand(v);
    if (!e.ok()) return Outcome::Error("TargetError", "target.env." + k + ": " + e.status().message());
    opts.env.emplace_back(k, e.value());
  }
  auto cwd = ctx->Expand(suite.target.cwd);
  if (!cwd.ok()) return Outcome::Error("TargetError", "target.cwd: " + cwd.status().message());
  opts.cwd = cwd.value();
  std::string cmd;
  for (const std::string& a : opts.argv) cmd += (cmd.empty() ? "" : " ") + a;
  ctx->Log("starting target: " + cmd);
  *command = cmd;
  auto target = TargetProcess::Start(opts);
  if (!target.ok()) return Outcome::Error("TargetError", target.status().message());
  *target_out = std::move(target.value());
  ctx->target = target_out->get();
  ctx->Log("target pid " + std::to_string((*target_out)->pid()));
  return Outcome::Ok();
}

}  // namespace leakprobe
