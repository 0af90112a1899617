#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Bundles for tests/check-security.sh, shaped like real ones (tests/hostile/make-hostile.py's
writer): DIR/xss has a <script> in latency.attach (printed raw before); DIR/term-a and term-b differ in scheduler.version and host.kernel, whose values carry
an OSC title, a screen clear and an OSC 52 clipboard write; DIR/binary carries a member with
NUL and ESC bytes.  usage: make-attacks.py SOURCE_ROOT DIR"""
import importlib.util
import json
import os
import sys

src, d = sys.argv[1], sys.argv[2]
spec = importlib.util.spec_from_file_location("mh", os.path.join(src, "tests/hostile/make-hostile.py"))
mh = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mh)
os.makedirs(d, exist_ok=True)
EVIL = "\x1b]0;pwned-title\x07\x1b[2J\x1b]52;c;cm0gLXJmIH4K\x07"


def rep(version, kernel):
    r = mh.report()
    r["scheduler"] = {"name": "scx_evil", "version": version}
    r["host"] = {"kernel": kernel}
    return r


mh.write_bundle(os.path.join(d, "term-a.tar.zst"),
                [("report.json", json.dumps(rep("1.0", "6.12")).encode())])
mh.write_bundle(os.path.join(d, "term-b.tar.zst"),
                [("report.json", json.dumps(rep("2.0" + EVIL, "6.13" + EVIL)).encode()),
                 ("kmsg/dmesg.txt", ("line one\n" + EVIL + "\n").encode()),
                 ("bin/blob", b"\x7fELF\x00\x01\x1b[2J\x00")])
r = mh.report()
r["latency"] = {"status": "ok", "attach": "<script>alert(document.cookie)</script>", "duration_s": 5}
mh.write_bundle(os.path.join(d, "xss.tar.zst"), [("report.json", json.dumps(r).encode())])
