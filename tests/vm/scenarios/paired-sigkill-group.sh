# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 150
#
# paired-sigkill-group: SIGKILL to scx-report's whole process group in the middle of the paired
# run's default side, as `kill -9 %1` in an interactive shell does to a job. The guardian lives
# in a session of its own, so it survives, sees scx-report die and starts fifo again.

guest() {
	signal_during_default KILL group
}

check() {
	assert_fifo_back "SIGKILL to the process group"
	assert_file_equals collect.rc 137 "scx-report was killed"
	assert_file_contains collect.log 'guardian: fifo is running again' "the guardian confirmed root/ops"
}
