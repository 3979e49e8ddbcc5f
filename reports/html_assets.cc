#include "reports/html_assets.h"

namespace leakprobe {

const char kHtmlReportCss[] = R"css(
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--code:#f6f8fa;
--band0:#eef2f6;--band1:#e0e7ee;--total:#6e7781;--fail:#cf222e;--pass:#1a7f37;--err:#bc4c00;--skip:#9a6700;
--verdict:#1f2328;--fds:#0969da;--threads:#9a6700;--proven:#8250df;
--s0:#d1242f;--s1:#8250df;--s2:#e16f24;--s3:#0a7ea4;--s4:#bf3989;--s5:#7d4e00}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--code:#161b22;
--band0:#161b22;--band1:#212830;--total:#8b949e;--fail:#ff7b72;--pass:#3fb950;--err:#f0883e;--skip:#d29922;
--verdict:#e6edf3;--fds:#58a6ff;--threads:#e3b341;--proven:#d2a8ff;
--s0:#ff7b72;--s1:#d2a8ff;--s2:#ffa657;--s3:#56d4dd;--s4:#ff9bce;--s5:#e3b341}}
*{box-sizing:border-box}[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1120px;margin:0 auto;padding:16px 20px 40px}
h1{font-size:22px;margin:4px 0 8px}h2{font-size:17px;margin:22px 0 8px}h3{font-size:14px;margin:14px 0 6px}
a{color:var(--fds)}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
pre{background:var(--code);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:6px 0;
overflow:auto;max-height:36em;white-space:pre}
pre.log{white-space:pre-wrap;overflow-wrap:anywhere}
.muted,.caption{color:var(--muted)}.caption{font-size:12.5px;margin:4px 0 0}
.pill{display:inline-block;padding:1px 10px;border-radius:999px;font-weight:700;font-size:13px;
color:var(--bg);background:var(--fail);vertical-align:middle}
.pill.passed{background:var(--pass)}.pill.skipped,.pill.interrupted{background:var(--skip)}.pill.error{background:var(--err)}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
table{border-collapse:collapse;margin:6px 0;font-size:13px}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:var(--code);white-space:nowrap}td.nowrap{white-space:nowrap}table.wide{width:100%}
.tools{display:flex;gap:10px;align-items:center;margin:10px 0}
button{font:inherit;font-size:13px;padding:2px 10px;border:1px solid var(--line);border-radius:6px;
background:var(--code);color:var(--fg);cursor:pointer}
details.case{border:1px solid var(--line);border-left:5px solid var(--pass);border-radius:8px;margin:10px 0}
details.case.failed{border-left-color:var(--fail)}details.case.error{border-left-color:var(--err)}
details.case.skipped{border-left-color:var(--skip)}
details.case>summary{padding:8px 12px;cursor:pointer;overflow-wrap:anywhere}
details.case[open]>summary{border-bottom:1px solid var(--line)}
.case>.body{padding:4px 14px 12px}
.st{display:inline-block;min-width:3.6em;font-weight:700;font-size:12px}
.st.failed{color:var(--fail)}.st.error{color:var(--err)}.st.passed{color:var(--pass)}.st.skipped{color:var(--skip)}
.msg{color:var(--muted)}
figure.timeline{margin:8px 0}
svg.chart{display:block;width:100%;height:auto;font-family:system-ui,sans-serif}
.band.b0{fill:var(--band0)}.band.b1{fill:var(--band1)}
.bl,.tick{font-size:10px;fill:var(--muted)}
.grid{fill:none;stroke:var(--line);stroke-width:.6}.axis{fill:none;stroke:var(--muted);stroke-width:1}
.total{fill:none;stroke:var(--total);stroke-width:1.6;stroke-linejoin:round}
.mark{fill:var(--bg);stroke:var(--total);stroke-width:1.3}
.mark.k-baseline,.mark.k-final,.mark.k-snapshot{fill:var(--total)}
.mark:hover{stroke:var(--fg);stroke-width:3}
.series{fill:none;stroke:var(--c);stroke-width:3;stroke-linejoin:round;stroke-linecap:round}
.series.w1{stroke-width:5.5}.series.w2{stroke-width:8}.series.w3{stroke-width:10.5}
.s0{--c:var(--s0)}.s1{--c:var(--s1)}.s2{--c:var(--s2)}.s3{--c:var(--s3)}.s4{--c:var(--s4)}.s5{--c:var(--s5)}
.verdict{stroke:var(--verdict);stroke-width:1.4;stroke-dasharray:5 3}.vl{font-size:10px;font-weight:700;fill:var(--fg)}
.fds,.threads{fill:none;stroke-width:1.8;stroke-dasharray:6 3}.fds{stroke:var(--fds)}.threads{stroke:var(--threads)}
ul.legend{display:flex;flex-wrap:wrap;gap:2px 18px;list-style:none;margin:2px 0 0;padding:0 0 0 46px;font-size:12.5px}
.sw{display:inline-block;width:20px;border-top:3px solid var(--c);vertical-align:middle;margin-right:6px}
.sw.total{--c:var(--total);border-top-width:2px}.sw.verdict{--c:var(--verdict);border-top:2px dashed}
.sw.fds{--c:var(--fds);border-top-style:dashed}.sw.threads{--c:var(--threads);border-top-style:dashed}
.sw.band{height:10px;border:0;background:var(--band1)}
.leak{border-top:1px solid var(--line);padding:8px 0 4px}
.leak .head{margin:0}.leak .n{font-size:15px}.leak .meta{margin:2px 0;color:var(--muted);font-size:13px}
.fn{font-weight:600}
.badge{display:inline-block;font-size:11.5px;font-weight:700;padding:0 6px;border-radius:4px;border:1px solid;margin-left:4px}
.badge.proven{color:var(--proven)}.badge.rate{color:var(--fail)}.badge.why{color:var(--muted)}
details.stack>summary{cursor:pointer;overflow-wrap:anywhere}
details.more>summary{cursor:pointer;margin:8px 0 0;font-weight:600}
)css";

const char kHtmlReportScript[] = R"js(
(function () {
  var tools = document.getElementById("tools");
  if (!tools) return;
  tools.hidden = false;
  var cases = Array.prototype.slice.call(document.querySelectorAll("details.case"));
  tools.addEventListener("click", function (e) {
    var act = e.target.getAttribute && e.target.getAttribute("data-act");
    if (!act) return;
    cases.forEach(function (d) { if (!d.hidden) d.open = act === "open"; });
  });
  var only = document.getElementById("only-failed");
  only.addEventListener("change", function () {
    cases.forEach(function (d) { d.hidden = only.checked && !d.classList.contains("bad"); });
  });
  function openNamed() {
    var el = location.hash && document.getElementById(location.hash.slice(1));
    if (el && el.tagName === "DETAILS") { el.hidden = false; el.open = true; }
  }
  window.addEventListener("hashchange", openNamed);
  openNamed();
})();
)js";

const char kHtmlReportScriptHash[] = "'sha256-oFly8VhOoYztWf/N7u+R97O1jJeWrh4flDRbvfKXdkU='";

}  // namespace leakprobe
