# SPDX-License-Identifier: GPL-2.0-or-later
# bash completion for scx-report(1): verbs, each verb's options, and their arguments.
# tests/check-completion.sh checks it against `scx-report --help` and `scx-report help VERB`.

_scx_report_verbs="attach collect diff latency list qos redact show triage watch help"

_scx_report_options()	# VERB: that verb's options
{
	case $1 in
	collect) echo "-o --output -f --force -q --quiet -h --help --no-latency --no-paired
		--duration --pid --cgroup --latency-source --trusted --boots --dump --workload --workload-cmd --rounds
		--calibrate --no-early-stop --allow-restart --sysroot --redact --redact-word
		--redact-map" ;;
	show) echo "-j --json --html --list --member -f --force -h --help" ;;
	latency) echo "--duration --json --pid --cgroup --resolution --source -h --help" ;;
	attach) echo "--bugzilla --bug --api-key-file --bearer --comment --summary --private
		--url --url-file --form --cacert --insecure --max-size --dry-run -h --help" ;;
	diff) echo "--json -h --help" ;;
	qos) echo "--suite --only --rounds --duration --no-calibrate --calibrate --against
		--allow-restart --json --html --fail-on -o --output -f --force -q --quiet
		--redact --redact-word --redact-map -h --help" ;;
	list) echo "--spool --json -h --help" ;;
	redact) echo "--redact-word --redact-map -f --force -h --help" ;;
	triage) echo "--json --html -f --force -h --help" ;;
	watch) echo "--spool --max-count --max-mib --exit-after --settle-ms -h --help" ;;
	esac
}

_scx_report()
{
	local cur prev words cword verb i
	_init_completion || return

	verb=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*) verb=${words[i]}; break ;;
		esac
	done

	if [[ -z $verb ]]; then
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W "--help --version -h -V" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$_scx_report_verbs" -- "$cur"))
		fi
		return
	fi

	# After "--workload-cmd --" everything is the user's command.
	for ((i = i + 1; i < cword; i++)); do
		if [[ ${words[i]} == -- ]]; then
			_command_offset $((i + 1))
			return
		fi
	done

	case $verb in
	help)
		[[ $cword -eq 2 ]] && COMPREPLY=($(compgen -W "${_scx_report_verbs% help}" -- "$cur"))
		return ;;
	esac

	case $prev in
	-o | --output | --trusted | --api-key-file | --url-file | --html | --redact-map | --cacert)
		_filedir
		return ;;
	--sysroot | --spool)
		_filedir -d
		return ;;
	--cgroup)
		COMPREPLY=($(compgen -d -- "${cur:-/sys/fs/cgroup/}"))
		return ;;
	--pid)
		_pids
		return ;;
	--workload)
		COMPREPLY=($(compgen -W "wakeup pipe mixed" -- "$cur"))
		return ;;
	--suite)
		COMPREPLY=($(compgen -W "quick full" -- "$cur"))
		return ;;
	--latency-source | --source)
		COMPREPLY=($(compgen -W "run-delay clock" -- "$cur"))
		return ;;
	--fail-on)
		COMPREPLY=($(compgen -W "regression any-worse" -- "$cur"))
		return ;;
	--only)
		COMPREPLY=($(compgen -W "wakeup mixed pipe fork messaging cpu cgroup nice" -- "$cur"))
		return ;;
	--duration | --rounds | --resolution | --bugzilla | --bug | --comment | --summary | \
	--boots | --redact-word | --url | --form | --max-size | --max-count | --max-mib | \
	--exit-after | --settle-ms | --member | --against)
		return ;;
	esac

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_scx_report_options "$verb")" -- "$cur"))
		return
	fi
	case $verb in
	show | attach | diff | redact) _filedir '@(tar.zst|zst)' ;;
	triage) _filedir ;;
	esac
} &&
	complete -F _scx_report scx-report
