#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# contrib/ansible/collect.yml with Debian's Ansible against this machine under two inventory
# names (local connections): a bundle is collected for each, fetched to the controller
# folder, and triage's table (and triage.html) is produced at the end of the run.
# usage: check-ansible.sh SCX_REPORT SOURCE_ROOT
set -u
exe=$(readlink -f "$1") src=$2
command -v ansible-playbook >/dev/null ||
	{ echo "FAIL: ansible-playbook is not installed (scripts/install-deps.sh --tests)"; exit 1; }
[ "$(id -u)" -eq 0 ] || { echo "SKIP: collect needs root"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fails=0
ok() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

cat >"$work/inventory" <<INV
[fleet]
node-a ansible_connection=local ansible_python_interpreter=/usr/bin/python3
node-b ansible_connection=local ansible_python_interpreter=/usr/bin/python3
INV
export ANSIBLE_LOCAL_TEMP=$work/ansible-tmp ANSIBLE_REMOTE_TEMP=$work/ansible-tmp
export ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 ANSIBLE_HOST_KEY_CHECKING=0
ansible-playbook -i "$work/inventory" "$src/contrib/ansible/collect.yml" \
	-e "scx_report_bin=$exe" -e "scx_bundle_dir=$work/bundles" -e "scx_remote_dir=$work" \
	-e '{"scx_collect_args": ["--no-paired", "--no-latency"]}' >"$work/run.log" 2>&1
rc=$?
sed -n '/TASK \[The fleet/,$p' "$work/run.log"
[ "$rc" -eq 0 ] && ok "ansible-playbook exited 0" || { fail "ansible-playbook exited $rc"; tail -n 40 "$work/run.log"; }
for h in node-a node-b; do
	b=$work/bundles/$h/scx-report.tar.zst
	"$exe" show "$b" >/dev/null 2>&1 && ok "$h: bundle fetched and valid" || fail "$h: no valid bundle at $b"
done
[ -z "$(ls -A "$work" | grep '^scx-report\.')" ] && ok "the hosts' copies are removed" ||
	fail "a remote scx-report.* folder was left behind"
grep -q 'HOST  *COLLECTED  *KERNEL  *SCHEDULER' "$work/run.log" && ok "the triage table is in the play's output" ||
	fail "no triage table in the output"
grep -q '2 bundle(s) read, 0 refused' "$work/run.log" && ok "triage read both bundles" ||
	fail "triage did not read 2 bundles"
grep -q '<table class="data" id="bundles">' "$work/bundles/triage.html" 2>/dev/null &&
	ok "triage.html written on the controller" || fail "no triage.html"
[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
