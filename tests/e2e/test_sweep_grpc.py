"""The sweep on gRPC calls (examples/scenarios/grpc-sweep.yaml) against a real examples/grpcd:
a functional scenario (a unary Get, a client-streaming Upload, a bidi Chat the client
half-closes after a pause) with nothing about leaks in it, swept with close at sent, reset at
body and stall 1s at status, 3 rounds each.

With -leaky, Chat's sender waits on its channel without the stream's context: a Chat its
client leaves before half-closing keeps one goroutine. The sweep finds it at the chat step,
one per round, under the reset and the stall, and nowhere else; the unary Get and the
Upload (which ends before any of their moments but `sent`) sweep clean or not applicable.
Whether a close at sent leaks too depends on whether grpc-go started the handler before it
read the connection's end: that cell may be either, and when it is a leak it is Chat's.
The fixed server sweeps clean everywhere. Each report carries the matrix."""
import json
import os
import unittest

from lp_e2e import GRPCD, E2ETest, SOURCE_DIR, cases, require_grpcd, result_of
from test_sweep import matrix

EXAMPLE = os.path.join(SOURCE_DIR, "examples", "scenarios", "grpc-sweep.yaml")
GET, UPLOAD, CHAT = 'step 1 "get"', 'step 2 "upload"', 'step 3 "chat"'
FAULTS = ("close at sent", "reset at body", "stall 1s at status")


class GrpcSweep(E2ETest):
    def setUp(self):
        super().setUp()
        require_grpcd(self)

    def sweep(self, leaky):
        report, junit = os.path.join(self.tmp, "sweep.json"), os.path.join(self.tmp, "sweep.xml")
        r = self.leakprobe("run", EXAMPLE, "--var", f"grpcd={GRPCD}", "--var", f"leaky={leaky}", "--jobs", "2",
                           "--json", report, "--junit", junit)
        with open(report) as f:
            return r, matrix(json.load(f)), self.assert_valid_junit(junit)

    def test_leaky_chat_is_found_at_its_step_and_nowhere_else(self):
        r, cells, xml = self.sweep("true")
        out = r.stdout.decode() + r.stderr.decode()
        self.assertEqual(r.returncode, 1, out)
        self.assertEqual(sorted(cells), sorted((s, f) for s in (GET, UPLOAD, CHAT) for f in FAULTS), out)
        for fault in ("reset at body", "stall 1s at status"):
            cell = cells[(CHAT, fault)]
            self.assertEqual(cell["kind"], "leak", (fault, cell, out))
            self.assertIn("main.(*feed).Chat.func1", cell["text"])
            self.assertIn("+1.0/round", cell["text"])
        sent = cells[(CHAT, "close at sent")]
        self.assertTrue(sent["kind"] == "clean" or "main.(*feed).Chat.func1" in sent["text"], sent)
        for step in (GET, UPLOAD):
            for fault in FAULTS:
                self.assertIn(cells[(step, fault)]["kind"], ("clean", "n/a"), (step, fault, out))
        self.assertIn("clean", {cells[(GET, "close at sent")]["kind"], cells[(UPLOAD, "close at sent")]["kind"]})
        # The JUnit file has a testcase per variant; the chat's reset is a failure naming Chat's sender.
        results = {case.name: result_of(case) for _, case in cases(xml)}
        name = f'get, upload and chat \u203a {CHAT} \u203a reset at body'
        self.assertEqual(results[name][0].lower(), "failure", results)
        self.assertIn("main.(*feed).Chat.func1", results[name][2])

    def test_a_scenario_that_leaks_by_itself_is_blamed_once(self):
        # grpc-streams.yaml cancels its own Follow streams and resets its own Chats: on the
        # leaky server it leaks as written, whatever the sweep cuts. The control says so; the
        # cut variants (the calls inside its repeats), growing no more than it, pass as "as
        # written" instead of each blaming its step and fault. Its last step (the server's
        # count of cancelled streams, 10) holds only once, so it is left out here: rounds
        # repeat the steps. The repeats' own growth checks are left out of the rounds, so the
        # control runs every step (with them, the Follow's check would end the control's first
        # round before any Chat, and the Chat's leak would be blamed on the Follow's cuts).
        with open(os.path.join(SOURCE_DIR, "examples", "scenarios", "grpc-streams.yaml")) as f:
            text = f.read()
        text = text[:text.index("      - name: the server saw every stream cancelled")]
        proto = os.path.join(SOURCE_DIR, "examples", "grpcd", "feed.proto")
        streams = self.write("streams.yaml", text.replace("../grpcd/feed.proto", proto))
        report = os.path.join(self.tmp, "streams.json")
        r = self.leakprobe("run", streams, "--sweep", "--sweep-faults", "reset at body", "--var", f"grpcd={GRPCD}",
                           "--var", "leaky=true", "--jobs", "2", "--json", report)
        out = r.stdout.decode() + r.stderr.decode()
        self.assertEqual(r.returncode, 1, out)
        with open(report) as f:
            data = json.load(f)
        (sweep,) = data["sweeps"]
        self.assertEqual(sweep["as_written"],
                         {"kind": "leak", "text": "+5.0/round main.(*feed).Chat.func1; +5.0/round main.(*feed).produce"},
                         out)
        self.assertEqual(sweep["steps"], ['step 2 "follow, cancel after 3 messages" > step 1 (grpc feed.v1.Feed/Follow)',
                                          'step 3 "chat, reset after the first echo" > step 1 (grpc feed.v1.Feed/Chat)'])
        self.assertEqual({c["kind"] for row in sweep["cells"] for c in row}, {"as written"}, out)
        outcomes = {c["name"]: c["outcome"] for s in data["suites"] for c in s["cases"]}
        self.assertEqual(outcomes.pop("streams left by cancel and reset \u203a as written"), "failed")
        self.assertEqual(set(outcomes.values()), {"passed"}, outcomes)

    def test_fixed_server_sweeps_clean(self):
        r, cells, _ = self.sweep("false")
        self.assertEqual(r.returncode, 0, r.stdout.decode() + r.stderr.decode())
        kinds = {k: c["kind"] for k, c in cells.items()}
        self.assertEqual(set(kinds.values()) - {"clean", "n/a"}, set(), kinds)
        with open(os.path.join(self.tmp, "sweep.json")) as f:
            self.assertEqual(json.load(f)["sweeps"][0]["as_written"]["kind"], "clean")
        # The chat is open at each moment: every one of its faults applied, and left nothing.
        self.assertEqual({kinds[(CHAT, f)] for f in FAULTS}, {"clean"}, kinds)


if __name__ == "__main__":
    unittest.main()
