"""`cmake --install` and `cpack -G DEB`: the binary, the man page and the JSON Schemas land in
the usual places, and the Debian package holds the same files."""
import gzip
import os
import shutil
import subprocess
import unittest

from lp_e2e import E2ETest, LEAKPROBE

BUILD_DIR = os.path.dirname(LEAKPROBE)


class Install(E2ETest):
    def test_cmake_install_puts_files_in_the_usual_places(self):
        prefix = os.path.join(self.tmp, "prefix")
        r = subprocess.run(["cmake", "--install", BUILD_DIR, "--prefix", prefix],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        binary = os.path.join(prefix, "bin", "leakprobe")
        v = subprocess.run([binary, "--version"], capture_output=True, text=True)
        self.assertEqual(v.returncode, 0)
        self.assertTrue(v.stdout.startswith("leakprobe "), v.stdout)
        schema = os.path.join(prefix, "share", "leakprobe", "leakprobe-report.schema.json")
        self.assertTrue(os.path.isfile(schema))
        # The scenario format's schema, when this leakprobe has `leakprobe schema`.
        printed = subprocess.run([LEAKPROBE, "schema"], capture_output=True)
        if printed.returncode == 0:
            with open(os.path.join(prefix, "share", "leakprobe", "leakprobe.schema.json"), "rb") as f:
                self.assertEqual(f.read(), printed.stdout)

        # The reference the man page's SEE ALSO names.
        self.assertTrue(os.path.isfile(os.path.join(prefix, "share", "doc", "leakprobe", "scenario-format.md")))

        man = os.path.join(prefix, "share", "man", "man1", "leakprobe.1.gz")
        with gzip.open(man, "rt") as f:
            self.assertTrue(f.read().startswith(".TH LEAKPROBE 1"))
        if shutil.which("groff"):
            g = subprocess.run(["sh", "-c", f"gzip -dc '{man}' | groff -man -Tutf8 -ww -z"],
                               capture_output=True, text=True)
            self.assertEqual((g.returncode, g.stderr), (0, ""))

    @unittest.skipUnless(shutil.which("cpack") and shutil.which("dpkg-deb"), "cpack or dpkg-deb missing")
    def test_debian_package(self):
        out = os.path.join(self.tmp, "pkg")
        r = subprocess.run(["cpack", "-G", "DEB", "-B", out], cwd=BUILD_DIR,
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        debs = [f for f in os.listdir(out) if f.endswith(".deb")]
        self.assertEqual(len(debs), 1, os.listdir(out))
        self.assertRegex(debs[0], r"^leakprobe_\d+\.\d+\.\d+_[a-z0-9]+\.deb$")
        deb = os.path.join(out, debs[0])
        contents = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True).stdout
        for path in ("./usr/bin/leakprobe", "./usr/share/man/man1/leakprobe.1.gz",
                     "./usr/share/leakprobe/leakprobe-report.schema.json"):
            self.assertIn(path, contents)
        info = subprocess.run(["dpkg-deb", "-f", deb, "Package", "Version", "Depends"],
                              capture_output=True, text=True).stdout
        self.assertIn("Package: leakprobe", info)
        self.assertIn("libre2", info)


if __name__ == "__main__":
    unittest.main()
