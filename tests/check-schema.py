#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""
docs/report.schema.json (JSON Schema draft 2020-12) against the reports we have,
and against the code that reads them.

  check-schema.py SOURCE_ROOT [BUNDLE_OR_REPORT...]

1. The schema is a valid draft 2020-12 schema.
2. It validates every golden tree's expected/report.json (tests/data/*/expected:
   the golden test drops the volatile "collection", given here as {}), the
   report.json of every bundle under tests/data (fixtures and the VM bundles),
   each BUNDLE_OR_REPORT named (a .tar.zst or a report.json), and a bundle's
   qos.json against the schema's "qos".
3. Every dotted path a jget/jstr/jstr_or call of lib/ probes/ formats/
   collector/ reads as a literal exists in the schema: starting at some object
   of it (the code reads relative to the report, a section or an element), each
   key is declared under "properties" (or the object is a map: an
   "additionalProperties" schema). Reads of other documents are listed in
   OTHER_DOCUMENTS below.
Exit 77 (skipped) when python3 has no jsonschema module (Debian: python3-jsonschema).
"""
import glob
import json
import os
import re
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipped")
    sys.exit(77)

# (file, path) pairs and whole files whose jget/jstr read a document other than
# report.json: they are not the report's paths.
OTHER_DOCUMENTS = {
    "formats/diff-text.c": "the diff model of `diff --json` (docs/report-format.md, diff --json)",
}

CALL = re.compile(r'\b(?:jget|jstr|jstr_or)\(')
LITERAL = re.compile(r'\s*"([^"]+)"')


def literal_paths(line):
    """The literal second argument of each jget/jstr/jstr_or call on the line."""
    for m in CALL.finditer(line):
        depth, i = 0, m.end()
        while i < len(line):
            c = line[i]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    break
                depth -= 1
            elif c == "," and depth == 0:
                lit = LITERAL.match(line, i + 1)
                if lit:
                    yield lit.group(1)
                break
            i += 1


def report_of(path):
    """report.json (and qos.json, or None) of a bundle or a report file."""
    if path.endswith(".json"):
        with open(path) as f:
            return json.load(f), None
    out = subprocess.run(["tar", "--zstd", "-xOf", path, "--wildcards", "*/report.json"],
                         capture_output=True, check=True).stdout
    qos = subprocess.run(["tar", "--zstd", "-xOf", path, "--wildcards", "*/qos.json"],
                         capture_output=True)
    return json.loads(out), (json.loads(qos.stdout) if qos.returncode == 0 and qos.stdout else None)


def object_nodes(node, acc):
    """Every subschema of the schema that describes an object."""
    if isinstance(node, dict):
        if "properties" in node or isinstance(node.get("additionalProperties"), dict):
            acc.append(node)
        for v in node.values():
            object_nodes(v, acc)
    elif isinstance(node, list):
        for v in node:
            object_nodes(v, acc)
    return acc


def resolves(node, keys):
    for k in keys:
        props = node.get("properties", {})
        if k in props:
            node = props[k]
        elif isinstance(node.get("additionalProperties"), dict):
            node = node["additionalProperties"]
        else:
            return False
    return True


def code_paths(root):
    """(file, line, path) of every literal dotted path read."""
    for top in ("lib", "probes", "formats", "collector"):
        for f in sorted(glob.glob(os.path.join(root, top, "**", "*.c"), recursive=True)):
            rel = os.path.relpath(f, root)
            if rel in OTHER_DOCUMENTS:
                continue
            with open(f, errors="replace") as fh:
                for n, line in enumerate(fh, 1):
                    for p in literal_paths(line):
                        yield rel, n, p


def main():
    root = sys.argv[1]
    extra = sys.argv[2:]
    with open(os.path.join(root, "docs", "report.schema.json")) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    v = jsonschema.Draft202012Validator(schema)
    vq = jsonschema.Draft202012Validator(schema["properties"]["qos"])
    fail = 0
    checked = 0

    def validate(name, report, qos=None):
        nonlocal fail, checked
        checked += 1
        for e in v.iter_errors(report):
            print(f"FAIL: {name}: report.json {'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}")
            fail += 1
        if qos is not None:
            for e in vq.iter_errors(qos):
                print(f"FAIL: {name}: qos.json {'.'.join(map(str, e.absolute_path)) or '(top)'}: {e.message[:200]}")
                fail += 1

    for p in sorted(glob.glob(os.path.join(root, "tests/data/*/expected/report.json"))):
        r, _ = report_of(p)
        r.setdefault("collection", {})
        validate(os.path.relpath(p, root), r)
    bundles = sorted(glob.glob(os.path.join(root, "tests/data/**/*.tar.zst"), recursive=True))
    for p in bundles + extra:
        r, q = report_of(p)
        validate(os.path.relpath(p, root) if p.startswith(root) else p, r, q)
    print(f"{checked} reports validated against docs/report.schema.json")

    nodes = object_nodes(schema, [])
    paths = 0
    for f, n, p in code_paths(root):
        paths += 1
        if not any(resolves(node, p.split(".")) for node in nodes):
            print(f'FAIL: {f}:{n}: reads "{p}", which docs/report.schema.json does not declare')
            fail += 1
    print(f"{paths} dotted paths read by the code checked against the schema")
    print(f"{fail} failures")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
