# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 150
#
# paired-sigint: SIGINT to scx-report in the middle of the paired run's default side (fifo
# stopped, the workload running on the default scheduler). The custom scheduler must be running
# again within a few seconds: scx-report restores it itself before it exits (no bundle:
# interrupted).

guest() {
	signal_during_default INT
}

check() {
	assert_fifo_back SIGINT
	assert_file_equals collect.rc 1 "interrupted collection exits 1"
	assert_file_contains collect.log 'interrupted by signal 2' "collect says it was interrupted"
}
