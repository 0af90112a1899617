# SPDX-License-Identifier: GPL-2.0-or-later
# guest: busybox
# parallel: yes
# timeout: 150
#
# paired-sigkill: SIGKILL to scx-report in the middle of the paired run's default side (fifo
# stopped, the workload running on the default scheduler). The custom scheduler must be running
# again within a few seconds: scx-report cannot do anything, its guardian process sees it die and
# runs fifo's saved command line again.

guest() {
	signal_during_default KILL
}

check() {
	assert_fifo_back SIGKILL
	assert_file_equals collect.rc 137 "scx-report was killed"
	# Started again by the guardian, or (a slow guest) by scx-report itself just before the kill.
	assert_file_contains collect.log 'guardian: .*(starting fifo again|during the start of fifo)' \
		"the guardian restored it"
	assert_file_contains collect.log 'guardian: fifo is running again' "the guardian confirmed root/ops"
}
