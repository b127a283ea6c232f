#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# scripts/fastnetmon-notify.sh, run as FastNetMon runs it (IP DIRECTION
# PPS ACTION, the attack's description on stdin), against a UNIX socket
# served by a small listener that records each request line and answers
# what the test tells it to.  This checks the script's side: arguments,
# the requests it writes, the answers it understands, its exit status.
# trigger_fastnetmon_dotscd.sh runs it against the real dotscd.
#
#	trigger_fastnetmon.sh NOTIFY_SCRIPT
set -uo pipefail

NOTIFY=$1
command -v python3 >/dev/null 2>&1 || { echo "SKIP: python3"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/dots-fnm.XXXXXX") || exit 1
LPID=
CHECKS=0
FAILS=0

cleanup() {
	local rc=$?
	[ -z "$LPID" ] || kill "$LPID" 2>/dev/null
	[ -z "$LPID" ] || wait "$LPID" 2>/dev/null
	[ "${KEEP_TMP:-0}" = 1 ] && echo "kept $T" || rm -rf "$T"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

check() {
	local what=$1
	shift
	CHECKS=$((CHECKS + 1))
	if "$@"; then
		echo "ok   $what"
	else
		echo "FAIL $what"
		FAILS=$((FAILS + 1))
	fi
}

# listen ANSWER: serve $T/ctl.sock; every request line is appended to
# $T/got, and each gets ANSWER (a JSON line, "" to close without one,
# "hang" to say nothing), preceded by an event line.
listen() {
	[ -z "$LPID" ] || { kill "$LPID"; wait "$LPID" 2>/dev/null; }
	rm -f "$T/ctl.sock" "$T/got"
	: >"$T/got"
	python3 - "$T/ctl.sock" "$T/got" "$1" <<'EOF' &
import socket, sys, time
path, got, answer = sys.argv[1:]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(4)
while True:
    c, _ = srv.accept()
    line = c.makefile("rb").readline()
    with open(got, "ab") as f:
        f.write(line)
    if answer == "hang":
        time.sleep(30)
    elif answer:
        c.sendall(b'{"event": "session", "server": "s", "state": "up"}\n')
        c.sendall(answer.encode() + b"\n")
    c.close()
EOF
	LPID=$!
	for _ in $(seq 1 50); do
		[ -S "$T/ctl.sock" ] && return 0
		sleep 0.1
	done
	echo "ERROR: the listener did not start"
	exit 1
}

# notify ARGS... (stdin from $STDIN, default empty): run the script,
# RC its status, ERR its stderr.
notify() {
	DOTSCTL_SOCKET=$T/ctl.sock DOTS_FNM_CONF=${CONF:-/nonexistent} \
	    "$NOTIFY" "$@" <"${STDIN:-/dev/null}" >"$T/out" 2>"$T/err"
	RC=$?
	ERR=$(cat "$T/err")
	echo "  notify $* -> $RC: $ERR"
}

# field N PATH: a member of the N-th request (1-based) received.
field() {
	python3 - "$T/got" "$1" "$2" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
v = json.loads(lines[int(sys.argv[2]) - 1])
for k in sys.argv[3].split("."):
    v = v[k]
print(v if isinstance(v, str) else json.dumps(v))
EOF
}

nreq() {
	wc -l <"$T/got" | tr -d ' '
}

OK='{"id": 1, "ok": true, "result": {"mid": 7, "state": "active"}}'

echo "== ban with details on stdin"
listen "$OK"
printf 'IP: 203.0.113.7\nAttack type: syn_flood\nIncoming pps: 91000\n' \
    >"$T/details"
STDIN=$T/details notify 203.0.113.7 incoming 91000 ban
check "exit 0" test "$RC" -eq 0
check "one request" test "$(nreq)" -eq 1
check "cmd trigger" test "$(field 1 cmd)" = trigger
check "action start" test "$(field 1 action)" = start
check "origin detector:fastnetmon" \
    test "$(field 1 origin)" = detector:fastnetmon
check "target /32" test "$(field 1 target)" = 203.0.113.7/32
check "details.pps" test "$(field 1 details.pps)" = 91000
check "details.direction" test "$(field 1 details.direction)" = incoming
check "details.report holds stdin" \
    grep -q syn_flood <<<"$(field 1 details.report)"
check "no scope without a lifetime set" \
    test "$(field 1 scope 2>/dev/null)" = ""
check "logged: mid and state" grep -q "mid 7, active" <<<"$ERR"

echo "== unban"
notify 203.0.113.7 incoming 0 unban
check "exit 0" test "$RC" -eq 0
check "action stop" test "$(field 2 action)" = stop
check "no details on a stop" test "$(field 2 details 2>/dev/null)" = ""

echo "== attack_details refreshes; IPv6; a large description drained"
head -c 1000000 /dev/zero | tr '\0' 'x' >"$T/big"
STDIN=$T/big notify 2001:db8::1 incoming 5000 attack_details
check "exit 0" test "$RC" -eq 0
check "target /128" test "$(field 3 target)" = 2001:db8::1/128
check "action start" test "$(field 3 action)" = start
check "report cut at 16 KiB" \
    test "$(field 3 details.report | wc -c)" -le 16385

echo "== outgoing attacks are not signalled"
notify 203.0.113.9 outgoing 1000 ban
check "exit 0" test "$RC" -eq 0
check "nothing sent" test "$(nreq)" -eq 3
check "logged why" grep -q "nothing signalled" <<<"$ERR"

echo "== bad arguments: exit 2, nothing sent"
for args in "203.0.113.7 incoming 1000" "203.0.113.7 incoming x ban" \
    "203.0.113.7 incoming 1000 explode" "not-an-ip incoming 1 ban" \
    "203.0.113.7/24 incoming 1 ban"; do
	# shellcheck disable=SC2086
	notify $args
	check "exit 2: $args" test "$RC" -eq 2
done
check "nothing sent" test "$(nreq)" -eq 3

echo "== settings from the file"
printf '# test\nDOTS_FNM_LIFETIME=600\nDOTS_FNM_ORIGIN=detector:fnm2\n' \
    >"$T/conf"
CONF=$T/conf notify 198.51.100.1 incoming 1 ban
check "exit 0" test "$RC" -eq 0
check "scope.lifetime" test "$(field 4 scope.lifetime)" = 600
check "origin from the file" test "$(field 4 origin)" = detector:fnm2
printf 'EVIL=$(touch %s/pwned)\n' "$T" >"$T/conf"
CONF=$T/conf notify 198.51.100.1 incoming 1 ban
check "unknown setting: exit 2" test "$RC" -eq 2
check "the file is not run" test ! -e "$T/pwned"

echo "== refusals"
listen '{"id": 1, "ok": false, "error": {"code": "refused", "message": "no", "server": {"code": "4.01", "diagnostic": "outside"}}}'
notify 203.0.113.7 incoming 1 ban
check "refused: exit 1" test "$RC" -eq 1
check "server's diagnostic logged" grep -q "4.01: outside" <<<"$ERR"
listen '{"id": 1, "ok": false, "error": {"code": "not-found", "message": "none"}}'
notify 203.0.113.7 incoming 1 unban
check "stop of nothing: exit 0" test "$RC" -eq 0

echo "== dotscd unreachable: exit 3 with a reason"
listen ""
notify 203.0.113.7 incoming 1 ban
check "closed without answer: exit 3" test "$RC" -eq 3
check "reason logged" grep -q "closed the connection" <<<"$ERR"
listen hang
DOTS_FNM_TIMEOUT=1 notify 203.0.113.7 incoming 1 ban
check "no answer in time: exit 3" test "$RC" -eq 3
kill "$LPID"
wait "$LPID" 2>/dev/null
LPID=
notify 203.0.113.7 incoming 1 ban
check "nobody listening: exit 3" test "$RC" -eq 3
check "reason logged" grep -q "not reachable" <<<"$ERR"

echo "$CHECKS checks, $FAILS failed"
[ "$FAILS" -eq 0 ]
