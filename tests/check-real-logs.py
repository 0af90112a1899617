#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Replay the corpus of real sched_ext failure logs (tests/data/real-logs/) through
`scx-report collect --sysroot` and compare each verdict with the thread's triage.

usage: check-real-logs.py SCX_REPORT TEST_DATA [SOURCE_ROOT] [--keep DIR] [--only NNN]

For each record (format: tests/data/real-logs/README.md) the harness
  1. strips the prefixes a paste adds, here and never in the file: GitHub quote
     markers, a common indentation, dmesg "[  12.345678]" stamps, journald
     "Mon DD HH:MM:SS host ident[pid]:" prefixes in any locale (and the ISO and
     time-only forms), several dmesg records joined on one line; a reversed
     (journalctl -r) paste is put back in time order;
  2. builds a sysroot: the kernel lines as /dev/kmsg records, the scheduler's own
     lines (its unit's journal) as helpers/journal-scx.service.txt with a
     helpers/systemctl-show-scx.service.txt, the sched_ext sysfs of a kernel after
     an ejection, the project's known-issues.d; for a regression with a
     `last-good:` version, a journal export of an earlier boot that ran that
     version and shut down cleanly (and, when the record's own lines carry no
     versioned ops name, an enable line of the version the header states);
  3. runs collect --sysroot and reads the verdict;
  4. prints the confusion table (thread's owner x verdict class) and asserts:
     >= 90% right over the records with a resolved owner, no kernel-side bug sent
     to a scheduler's author, no scheduler error sent to the distribution.
The rules under test are general; nothing here or in the verdict matches one
record's text.
"""
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The verdict classes each owner accepts as right.
RIGHT = {
    'scheduler': {'custom-scheduler-failure', 'custom-scheduler-suspected'},
    'regression': {'scheduler-version-regression'},
    'kernel': {'kernel-bug-suspected'},
    'environment': {'environment'},
    'never-attached': {'never-attached'},
}
# Who a class sends the user to.
TO_SCHEDULER = {'custom-scheduler-failure', 'custom-scheduler-suspected',
                'custom-scheduler-regression', 'scheduler-version-regression'}
TO_DISTRIBUTION = {'kernel-bug-suspected', 'no-custom-scheduler', 'reproduces-on-default'}

JOURNALD = re.compile(
    r'^(?:\d{4}-\d\d-\d\dT[\d:.]+(?:[+-]\d{2}:?\d{2}|Z)?'      # short-iso
    r'|\S+\.? +\d{1,2},? +[\d:.]{8,15}'                         # Mon DD HH:MM:SS (any locale)
    r'|\d{1,2}\.? +\S+ +[\d:.]{8,15}'                           # DD Mon HH:MM:SS
    r'|[\d:.]{8,15})'                                           # HH:MM:SS only
    r' +(?:(?P<host>[^\s:\[]+) +)?(?P<ident>[^\s:\[]+)(?:\[(?P<pid>\d+)\])?: ?(?P<msg>.*)$')
DMESG = re.compile(r'^\[ *(\d+)\.(\d+)\] ?')
DMESG_JOIN = re.compile(r'(?<=\S) (?=\[ *\d+\.\d{6}\] )')
CLOCK = re.compile(r'(\d{1,2}):(\d\d):(\d\d)(?:[.,](\d+))?')


def parse_record(path):
    head, body, seen = {}, [], False
    with open(path, encoding='utf-8', errors='surrogateescape') as f:
        for line in f.read().split('\n'):
            if not seen:
                if line == '---':
                    seen = True
                elif line.startswith('# ') and ':' in line:
                    k, v = line[2:].split(':', 1)
                    head[k.strip()] = v.strip()
                continue
            body.append(line)
    while body and not body[-1].strip():
        body.pop()
    return head, body


def clock_seconds(prefix):
    m = CLOCK.search(prefix)
    if not m:
        return None
    s = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
    return s + (float('0.' + m.group(4)) if m.group(4) else 0.0)


def strip_lines(body):
    """[(source, seconds or None, text)]: source 'kernel', 'unit' or None (no prefix)."""
    lines = []
    for raw in body:
        line = raw.rstrip('\r')
        while line.startswith('>'):
            line = line[1:]
            if line.startswith(' '):
                line = line[1:]
        lines.append(line)
    # a common indentation the paste added
    ind = [len(l) - len(l.lstrip(' ')) for l in lines if l.strip()]
    cut = min(ind) if ind else 0
    lines = [l[cut:] for l in lines]
    out = []
    for line in lines:
        src, t, text = None, None, line
        if line.startswith('kernel: '):          # journalctl -o cat-like, ident only
            line = '00:00:00 ' + line
        m = JOURNALD.match(line)
        if m and not m.group('msg').startswith('[') or (m and m.group('ident') == 'kernel'):
            src = 'kernel' if m.group('ident') == 'kernel' else 'unit'
            t = clock_seconds(line[:m.start('ident')])
            text = m.group('msg')
        for piece in DMESG_JOIN.split(text):
            d = DMESG.match(piece)
            if d:
                out.append(('kernel', int(d.group(1)) + float('0.' + d.group(2)), piece[d.end():]))
            else:
                out.append((src, t, piece))
    # a reversed paste (journalctl -r): newest first
    times = [t for _, t, _ in out if t is not None]
    if len(times) > 2 and times[0] > times[-1]:
        out.reverse()
    return out


def route(kind, lines):
    """Split into kernel lines and unit-journal lines, each [(seconds, text)]."""
    kernel, unit = [], []
    has_dmesg_stamps = any(s == 'kernel' for s, _, _ in lines)
    last = {'kernel': 100.0, 'unit': 100.0}
    for src, t, text in lines:
        if src is None:
            if kind == 'kernel-log':
                src = 'kernel'
            elif kind == 'scheduler-output':
                src = 'unit'
            else:
                src = 'kernel' if (kind == 'journal' and not has_dmesg_stamps) else 'unit'
        if t is None:
            t = last[src] + 0.000001
        last[src] = t
        (kernel if src == 'kernel' else unit).append((t, text))
    # wall-clock times become seconds since a boot 100 s before the first line
    for arr in (kernel, unit):
        if arr and arr[0][0] > 1000:
            base = min(t for t, _ in arr) - 100.0
            arr[:] = [(t - base, x) for t, x in arr]
    return kernel, unit


def kmsg_escape(text):
    out = []
    for ch in text:
        o = ord(ch)
        if ch == '\\' or o < 32 or o == 127:
            out.append('\\x%02x' % o)
        else:
            out.append(ch)
    return ''.join(out)


def write(path, text, mode='w'):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode, encoding='utf-8', errors='surrogateescape') as f:
        f.write(text)


def export_entry(f, fields):
    for k, v in fields.items():
        if '\n' in v:
            b = v.encode()
            f.write(k.encode() + b'\n' + len(b).to_bytes(8, 'little') + b + b'\n')
        else:
            f.write(('%s=%s\n' % (k, v)).encode())
    f.write(b'\n')


def sched_name(head):
    m = re.search(r'scx_([a-z0-9_]+)', head.get('scheduler', ''))
    return m.group(1) if m else None


def earlier_boot(root, name, version):
    """A journal of an earlier boot that ran NAME VERSION and shut down cleanly."""
    boot = '0123456789abcdef0123456789abcdef'
    ops = '%s_%s_x86_64_unknown_linux_gnu' % (name, version)
    write(root + '/journalctl/list-boots.json', json.dumps([
        {'index': -1, 'boot_id': boot, 'first_entry': 1, 'last_entry': 2},
        {'index': 0, 'boot_id': 'f' * 32, 'first_entry': 3, 'last_entry': 4}]))
    os.makedirs(root + '/var/log/journal', exist_ok=True)
    with open(root + '/journalctl/%s-kernel.export' % boot, 'wb') as f:
        for i, msg in enumerate(['sched_ext: BPF scheduler "%s" enabled' % ops,
                                 'sched_ext: BPF scheduler "%s" disabled (unregistered from user space)' % ops]):
            export_entry(f, {'__REALTIME_TIMESTAMP': str(1700000000000000 + i * 3600000000),
                             '__MONOTONIC_TIMESTAMP': str(10000000 + i * 3600000000),
                             '_BOOT_ID': boot, '_TRANSPORT': 'kernel', 'MESSAGE': msg})
    with open(root + '/journalctl/%s-tail.export' % boot, 'wb') as f:
        export_entry(f, {'__REALTIME_TIMESTAMP': str(1700000000000000 + 7300000000),
                         '__MONOTONIC_TIMESTAMP': str(7310000000), '_BOOT_ID': boot,
                         'SYSLOG_IDENTIFIER': 'systemd-shutdown', 'MESSAGE': 'Syncing filesystems and block devices.'})


def build_sysroot(root, head, body, source_root):
    kind = head.get('kind', 'kernel-log')
    kernel, unit = route(kind, strip_lines(body))
    name = sched_name(head)
    m = re.search(r'\b(\d+\.\d+\.\d+)\b', head.get('scheduler', ''))
    version = m.group(1) if m else None
    m = re.search(r'\b(\d+\.\d+\.\d+)\b', head.get('last-good', ''))
    last_good = m.group(1) if m else None
    if last_good and name:
        earlier_boot(root, name, last_good)
        versioned = any(re.search(r'BPF scheduler "[^"]*_\d+\.\d+', x) for _, x in kernel)
        if version and not versioned:
            first = min([t for t, _ in kernel + unit] + [100.0])
            kernel.insert(0, (max(first - 1, 0.5), 'sched_ext: BPF scheduler "%s_%s_x86_64_unknown_linux_gnu" enabled'
                              % (name, version)))
    recs = []
    for seq, (t, text) in enumerate(sorted(kernel, key=lambda x: x[0])):
        recs.append('6,%d,%d,-;%s\n' % (seq, int(round(t * 1e6)), kmsg_escape(text)))
    write(root + '/dev/kmsg', ''.join(recs))
    enables = sum(1 for _, x in kernel if 'BPF scheduler "' in x and '" enabled' in x)
    for f, v in (('state', 'disabled'), ('switch_all', '0'), ('nr_rejected', '0'),
                 ('hotplug_seq', '0'), ('enable_seq', str(max(enables, 1)))):
        write(root + '/sys/kernel/sched_ext/' + f, v + '\n')
    write(root + '/proc/sys/net/core/bpf_jit_enable', '1\n')
    write(root + '/sys/kernel/btf/vmlinux', '')  # the kernel's BTF, as on the reporters' systems
    if unit:
        ident = 'scx_' + name if name else 'scx'
        write(root + '/helpers/systemctl-show-scx.service.txt',
              'LoadState=loaded\nActiveState=failed\nResult=exit-code\nExecMainStatus=1\n'
              'NRestarts=0\nFragmentPath=/usr/lib/systemd/system/scx.service\n')
        write(root + '/helpers/journal-scx.service.txt', ''.join(
            '[%12.6f] host %s[1000]: %s\n' % (t, ident, x) for t, x in unit))
    if source_root and os.path.isdir(source_root + '/data/known-issues.d'):
        shutil.copytree(source_root + '/data/known-issues.d', root + '/usr/share/scx-report/known-issues.d')


def run(exe, root):
    bundle = root + '.tar.zst'
    if os.path.exists(bundle):
        os.unlink(bundle)
    r = subprocess.run([exe, 'collect', '--sysroot', root, '--no-latency', '--no-paired', '-o', bundle],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, 'collect failed: ' + r.stderr.strip().splitlines()[-1] if r.stderr.strip() else 'collect failed'
    r = subprocess.run([exe, 'show', '--json', bundle], capture_output=True, text=True)
    if r.returncode != 0:
        return None, 'show --json failed'
    return json.loads(r.stdout), None


def main():
    args = sys.argv[1:]
    keep, only = None, None
    if '--keep' in args:
        i = args.index('--keep')
        keep = args[i + 1]
        del args[i:i + 2]
    if '--only' in args:
        i = args.index('--only')
        only = args[i + 1]
        del args[i:i + 2]
    exe, data = args[0], args[1]
    source_root = args[2] if len(args) > 2 else os.path.dirname(os.path.dirname(os.path.abspath(data)))
    corpus = os.path.join(data, 'real-logs')
    files = sorted(f for f in os.listdir(corpus) if f.endswith('.txt') and (not only or f.startswith(only)))
    work = keep or tempfile.mkdtemp(prefix='scx-real-logs.')
    os.makedirs(work, exist_ok=True)
    table, rows, failures = {}, [], []
    right = resolved = kernel_to_author = sched_to_distro = 0
    def one(f):
        head, body = parse_record(os.path.join(corpus, f))
        root = os.path.join(work, f[:-4])
        shutil.rmtree(root, ignore_errors=True)
        build_sysroot(root, head, body, source_root)
        return (head,) + run(exe, root)

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(one, files))
    for f, (head, report, err) in zip(files, results):
        owner = head.get('owner', 'unclear')
        if err:
            failures.append('%s: %s' % (f, err))
            cls, sig = 'ERROR', ''
        else:
            cls = report.get('verdict', {}).get('class', '?')
            sig = report.get('verdict', {}).get('signature', '')
        ok = cls in RIGHT.get(owner, set())
        if owner != 'unclear':
            resolved += 1
            right += ok
        if owner == 'kernel' and cls in TO_SCHEDULER:
            kernel_to_author += 1
            failures.append('%s: a kernel-side bug sent to the scheduler\'s author (%s)' % (f, cls))
        if owner in ('scheduler', 'regression') and cls in TO_DISTRIBUTION:
            sched_to_distro += 1
            failures.append('%s: a scheduler error sent to the distribution (%s)' % (f, cls))
        table.setdefault(owner, {}).setdefault(cls, 0)
        table[owner][cls] += 1
        rows.append((f[:3], head.get('kind', '?'), owner, cls, 'yes' if ok else ('-' if owner == 'unclear' else 'NO'), sig))
    print('%-4s %-17s %-15s %-30s %-5s %s' % ('id', 'kind', 'owner', 'verdict', 'right', 'signature'))
    for r in rows:
        print('%-4s %-17s %-15s %-30s %-5s %s' % r)
    classes = sorted({c for o in table.values() for c in o})
    print('\nconfusion (thread\'s owner x verdict class):')
    print('%-15s' % 'owner' + ''.join(' %s' % c for c in classes))
    for o in ('kernel', 'scheduler', 'regression', 'environment', 'never-attached', 'unclear'):
        if o in table:
            print('%-15s' % o + ''.join(' %*d' % (len(c), table[o].get(c, 0)) for c in classes))
    pct = 100.0 * right / resolved if resolved else 0.0
    print('\nright: %d of %d resolved records (%.1f%%); kernel bugs sent to a scheduler author: %d; '
          'scheduler errors sent to the distribution: %d; unclear (apart): %d'
          % (right, resolved, pct, kernel_to_author, sched_to_distro, len(rows) - resolved))
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    for x in failures:
        print('FAIL: ' + x)
    bad = kernel_to_author or sched_to_distro or pct < 90.0 or any('collect failed' in x or 'show' in x for x in failures)
    if pct < 90.0:
        print('FAIL: %.1f%% right, below 90%%' % pct)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
