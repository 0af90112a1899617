#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Write the hostile bundles of tests/hostile-bundles.sh into DIR.

Each is a pax tar compressed with the zstd program, shaped like a real bundle
(manifest.json first, every member listed with size and sha256) except for the
one hostile thing it carries.  usage: make-hostile.py DIR
"""
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile

TOP = "scx-report-hostile-20260101T000000Z"
ESC_TEXT = ("clipboard \x1b]52;c;cm0gLXJmIH4K\x07 clear \x1b[2J\x1b[H csi8 \x9b31m "
            "c1 \u009b32m bell \x07 nul \x00 end")


def report(summary_text="ok"):
    return {"schema": "scx-report/1",
            "collection": {"id": TOP, "hostname": "hostile"},
            "verdict": {"class": "inconclusive", "summary": summary_text}}


def write_bundle(path, members, top=TOP, dirs=(), manifest_extra=None, zstd_args=("-q", "-3"),
                 unlisted=0):
    """members: list of (relpath, bytes); listed in the manifest in that order, but for the
    last `unlisted` ones."""
    listed = [{"path": rel, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
              for rel, data in members[:len(members) - unlisted]]
    man = {"schema": "scx-report-manifest/1", "members": listed}
    man.update(manifest_extra or {})
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as t:
        def add(name, data):
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
        add(top + "/manifest.json", json.dumps(man, separators=(",", ":")).encode())
        for d in dirs:
            ti = tarfile.TarInfo(top + "/" + d)
            ti.type = tarfile.DIRTYPE
            t.addfile(ti)
        for rel, data in members:
            add(top + "/" + rel, data)
    with open(path, "wb") as out:
        subprocess.run(["zstd", *zstd_args, "-c"], input=raw.getvalue(), stdout=out, check=True)


def js(obj):
    return json.dumps(obj).encode()


def main(d):
    os.makedirs(d, exist_ok=True)
    p = lambda n: os.path.join(d, n + ".tar.zst")
    # OSC 52, CSI, C1 (raw and UTF-8) and NUL in report.json's strings and in summary.txt.
    write_bundle(p("escape-text"), [("report.json", js(report(ESC_TEXT))),
                                    ("summary.txt", ESC_TEXT.encode("utf-8", "surrogateescape")
                                     .replace(b"\xc2\x9b31m", b"\x9b31m"))])
    # A control sequence in a member name that the manifest lists.
    write_bundle(p("escape-name"), [("report.json", js(report())),
                                    ("\x1b]52;c;cm0K\x07evil", b"x")])
    # C1 CSI and OSC (UTF-8) in a member name: listed, so the name reaches show's checks.
    write_bundle(p("escape-c1-name"), [("report.json", js(report())),
                                       ("\u009b2J\u009d52;c;eA==\u009c", b"")],
                 unlisted=1)
    # 20,000 empty members, all listed: must be fast (hash lookup), and accepted.
    many = [("report.json", js(report()))] + [("m/%05d" % i, b"") for i in range(19999)]
    write_bundle(p("members-20k"), many, zstd_args=("-q", "-3"))
    # A 1.2 KB member that expands to an 8 MiB report.json ([0,0,0,...]).
    bomb = b"[" + b"0," * ((8 << 20) // 2 - 1) + b"0]"
    write_bundle(p("bomb-8mib"), [("report.json", bomb)])
    # Under the report.json cap but with a million values: the parse budget refuses it.
    values = b'{"schema":"scx-report/1","x":[' + b"0," * ((1536 << 10) // 2) + b"0]}"
    write_bundle(p("json-values"), [("report.json", values)])
    # A manifest under its 4 MiB cap holding 1.9 million values: its parse budget refuses it.
    write_bundle(p("manifest-values"), [("report.json", js(report()))],
                 manifest_extra={"x": [0] * 1900000})
    # 100,000 folder entries: every header counts.
    write_bundle(p("many-dirs"), [("report.json", js(report()))],
                 dirs=["d%06d/" % i for i in range(100000)], zstd_args=("-q", "-3"))
    # A zstd frame asking for a 512 MiB window (--long=29).
    write_bundle(p("zstd-window"), [("report.json", js(report()))],
                 zstd_args=("-q", "--long=29", "-3"))


if __name__ == "__main__":
    main(sys.argv[1])
