#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Redaction end to end. A copy of the VM capture tests/data/vm-enabled gets a known
# hostname, IP, MAC, user name and secret word planted in every source the collector
# reads (the hostname file, kernel command line, the scheduler's argv, environment and
# cwd, kmsg), and an SCX_REPORT_* key in the scheduler's environment. Then:
# - without --redact each planted value is in the bundle (the test can fail), the key never;
# - with --redact and --redact-word, `zstdcat | tar -xO | grep -c` finds each 0 times;
# - the map (beside the bundle, 0600, not inside) maps each token back to its original;
# - report.json has the same structure (every key path) and verdict, summary.txt the same
#   lines but for the values;
# - `scx-report redact IN OUT` with the same map gives the same tokens.
# usage: redact-bundle.sh SCX_REPORT SOURCE_ROOT
set -eu
exe=$1
src=$2
work=$(mktemp -d)
trap "${KEEP:+:} rm -rf $work" EXIT
fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

HOST=zebrahost42 DOMAIN=acme-corp.example IP=192.0.2.77 MAC=52:54:00:a1:b2:c3
USERNAME=zoeuser WORD=PlutoniumKey KEY=sekret-api-key-7731

root=$work/root
cp -r "$src/tests/data/vm-enabled" "$root"
rm -rf "$root/expected"
mkdir -p "$root/proc/sys/kernel"
echo "$HOST.$DOMAIN" >"$root/proc/sys/kernel/hostname"
echo "console=ttyS0 ip=$IP::192.0.2.1:255.255.255.0:$HOST:eth0:none nfsroot=/home/$USERNAME/nfs tag=$WORD" \
	>"$root/proc/cmdline"
printf '%s\0' /opt/scx/1.2.3/bin/scx_fifo --log "/home/$USERNAME/fifo-$WORD.log" >"$root/proc/127/cmdline"
printf '%s\0' SHLVL=2 "HOME=/home/$USERNAME" "PATH=/home/$USERNAME/bin:/usr/bin" "USER=$USERNAME" \
	"SCX_NODE=$HOST.$DOMAIN" "SCX_IFACE=$MAC" "SCX_PEER=$IP" "SCX_REPORT_BUGZILLA_API_KEY=$KEY" \
	"SCX_REPORT_TOKEN=$KEY" >"$root/proc/127/environ"
ln -s "/home/$USERNAME/work-$WORD" "$root/proc/127/cwd"
# A binary file among what the sched_ext probe copies: it cannot be cleaned.
printf 'BLOB\001\002\003\377' >"$root/sys/kernel/sched_ext/root/blob"
n=$(tail -n 1 "$root/dev/kmsg" | cut -d, -f2)
{
	echo "6,$((n + 1)),900000000,-;virtio_net virtio0 eth0: MAC $MAC, host $HOST.$DOMAIN"
	echo "6,$((n + 2)),900000100,-;nfs: server $IP not responding, user $USERNAME, $WORD"
} >>"$root/dev/kmsg"

collect() {
	"$exe" collect --sysroot "$root" --no-latency --no-paired -q "$@" >/dev/null
}
count() { zstdcat "$1" | tar -xO | grep -c -i -F -- "$2" || true; }

collect -o "$work/plain.tar.zst"
collect -o "$work/red.tar.zst" --redact --redact-word "$WORD"
for v in "$HOST" "$DOMAIN" "$IP" "$MAC" "$USERNAME" "$WORD"; do
	p=$(count "$work/plain.tar.zst" "$v") r=$(count "$work/red.tar.zst" "$v")
	if [ "$p" -gt 0 ] && [ "$r" -eq 0 ]; then
		ok "$v: $p line(s) without --redact, $r with"
	else
		bad "$v: $p line(s) without --redact (want > 0), $r with (want 0)"
	fi
	# The bundle's own name and its top folder carry no planted value either.
	if zstdcat "$work/red.tar.zst" | tar -t | grep -qiF -- "$v"; then
		bad "$v: in a member name of the redacted bundle"
	fi
done
for b in plain red; do
	k=$(count "$work/$b.tar.zst" "$KEY")
	[ "$k" -eq 0 ] && ok "SCX_REPORT_* value absent from the $b bundle" ||
		bad "SCX_REPORT_* value found $k time(s) in the $b bundle"
done

map=$work/red.tar.zst.redact-map.json
if [ "$(stat -c %a "$map" 2>/dev/null)" = 600 ]; then ok "map beside the bundle, mode 0600"
else bad "map $map missing or not 0600"; fi
zstdcat "$work/red.tar.zst" | tar -t | grep -q 'redact-map' && bad "the map is inside the bundle"

# The map maps back: each planted value is a key, and its token is in the bundle.
python3 - "$map" "$work/red.tar.zst" "$HOST" "$DOMAIN" "$IP" "$MAC" "$USERNAME" "$WORD" <<'PY' || fail=$((fail + 1))
import json, subprocess, sys
m = json.load(open(sys.argv[1]))
text = subprocess.run("zstdcat %s | tar -xO" % sys.argv[2], shell=True, capture_output=True).stdout.decode("utf-8", "replace")
host, domain, ip, mac, user, word = sys.argv[3:]
want = [("hostnames", host), ("domains", domain), ("ipv4_networks", ip.rsplit(".", 1)[0]),
        ("macs", mac), ("users", user), ("words", word.lower())]
bad = 0
for kind, orig in want:
    tok = m.get(kind, {}).get(orig)
    back = {v: k for k, v in m.get(kind, {}).items()}
    if tok and back.get(tok) == orig and tok in text:
        print("ok   map %s: %s -> %s -> %s, token in the bundle" % (kind, orig, tok, back[tok]))
    else:
        print("FAIL map %s: %s -> %s" % (kind, orig, tok)); bad += 1
sys.exit(1 if bad else 0)
PY

# Same structure: every key path of report.json, the verdict, and summary.txt line by line
# (a line may differ only where a planted value was).
python3 - "$work/plain.tar.zst" "$work/red.tar.zst" "$HOST" "$DOMAIN" "$IP" "$MAC" "$USERNAME" "$WORD" <<'PY' || fail=$((fail + 1))
import json, re, subprocess, sys
def member(b, name):
    return subprocess.run("zstdcat %s | tar -xO --wildcards '*/%s'" % (b, name), shell=True,
                          capture_output=True).stdout.decode()
def paths(o, p=""):
    if isinstance(o, dict):
        return {q for k, v in o.items() for q in paths(v, p + "/" + (k if not re.search(r"\d", k) else "#"))} | {p}
    if isinstance(o, list):
        return {q for v in o for q in paths(v, p + "[]")} | {p}
    return {p}
a, b = (json.loads(member(x, "report.json")) for x in sys.argv[1:3])
ok = paths(a) == paths(b) and a["verdict"] == b["verdict"]
print(("ok  " if ok else "FAIL") + " report.json: %d key paths, verdict %s" % (len(paths(b)), b["verdict"]["class"]))
sa, sb = (member(x, "summary.txt").splitlines() for x in sys.argv[1:3])
planted = [v.lower() for v in sys.argv[3:]]
differ = [x for x, y in zip(sa, sb) if x != y]
# A line may differ only where a planted value (or the IP's network) was.
unexplained = [x for x in differ if not any(v in x.lower() for v in planted + [sys.argv[5].rsplit(".", 1)[0]])]
ok2 = len(sa) == len(sb) and not unexplained
print(("ok  " if ok2 else "FAIL") + " summary.txt: %d lines each, %d differ, each where a planted value was%s"
      % (len(sb), len(differ), "" if not unexplained else ": " + repr(unexplained)))
sys.exit(0 if ok and ok2 else 1)
PY

# scx-report redact IN OUT, with the map of the collect run: the same tokens.
"$exe" redact --redact-word "$WORD" --redact-map "$map" "$work/plain.tar.zst" "$work/red2.tar.zst" >/dev/null
for v in "$HOST" "$DOMAIN" "$IP" "$MAC" "$USERNAME" "$WORD"; do
	r=$(count "$work/red2.tar.zst" "$v")
	[ "$r" -eq 0 ] && ok "redact verb: $v 0 times" || bad "redact verb: $v $r time(s)"
done
h1=$(zstdcat "$work/red.tar.zst" | tar -xO --wildcards '*/report.json' | python3 -c 'import json,sys; print(json.load(sys.stdin)["collection"]["hostname"])')
h2=$(zstdcat "$work/red2.tar.zst" | tar -xO --wildcards '*/report.json' | python3 -c 'import json,sys; print(json.load(sys.stdin)["collection"]["hostname"])')
[ "$h1" = "$h2" ] && ok "same token for the host in both runs ($h1)" || bad "host token $h1 vs $h2"
"$exe" show "$work/red2.tar.zst" >/dev/null && ok "show accepts the redacted bundle" || bad "show refuses the redacted bundle"
dropped=$(zstdcat "$work/red.tar.zst" | tar -xO --wildcards '*/manifest.json' | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)["redaction"]["dropped"]))')
if [ "$dropped" = sched_ext/sys/kernel/sched_ext/root/blob ] && ! zstdcat "$work/red.tar.zst" | tar -t | grep -q /blob; then
	ok "binary member dropped and listed in the manifest: $dropped"
else
	bad "dropped: '$dropped'"
fi

[ "$fail" -eq 0 ] || { echo "$fail check(s) failed"; exit 1; }
