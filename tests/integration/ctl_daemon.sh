#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotsctl through dotscd to the real dotsd, end to end: servers,
# mitigate, status, status --watch (the events of an efficacy update and
# a withdrawal), a scope refused with 4.01 (exit 1), withdraw, status
# --all, and no daemon (exit 3).
#
#   ctl_daemon.sh DOTSD DOTS_CODEC DOTSCTL DOTSCD
. "$(dirname "$0")/lib.sh"
[ $# -eq 4 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCTL DOTSCD"
DOTSCTL=$3
DOTSCD=$4
[ -x "$DOTSCTL" ] || die "$DOTSCTL: not an executable"
[ -x "$DOTSCD" ] || die "$DOTSCD: not an executable"
lib_init "$1" "$2"

dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24')"
start_dotsd

cat >"$T/dotscd.conf" <<EOF2
database "$T/dotscd.db"
control-socket "$T/dotscd.sock"
log-level debug
syslog no
server "upstream" {
	address 127.0.0.1
	port $DOTSD_PORT
	transport dtls
	server-name localhost
	ca-file "$T/certs/ca.pem"
	cert-file "$T/certs/client1.pem"
	key-file "$T/certs/client1-key.pem"
}
EOF2
"$DOTSCD" -d -f "$T/dotscd.conf" >"$T/dotscd.log" 2>&1 &
BG_PIDS+=("$!")
wait_until 10 test -S "$T/dotscd.sock" || die "dotscd did not start"

OUT=
ERR=
RC=

ctl() {
	OUT=$("$DOTSCTL" -s "$T/dotscd.sock" "$@" 2>"$T/ctl.err")
	RC=$?
	ERR=$(cat "$T/ctl.err")
	log "  \$ dotsctl $* -> $RC"
	[ -z "$OUT" ] || printf '%s\n' "$OUT" | sed 's/^/    /'
	[ -z "$ERR" ] || printf '%s\n' "$ERR" | sed 's/^/    2> /'
}

expect_rc() {
	if [ "$RC" = "$1" ]; then
		pass "${2:-dotsctl} exits $1"
	else
		fail "${2:-dotsctl}: want exit $1, got $RC"
	fi
}

expect_out() {
	if printf '%s\n' "$OUT" | grep -Eq -- "$1"; then
		pass "output matches /$1/"
	else
		fail "output should match /$1/: $OUT"
	fi
}

expect_err() {
	if printf '%s\n' "$ERR" | grep -Eq -- "$1"; then
		pass "stderr matches /$1/"
	else
		fail "stderr should match /$1/: $ERR"
	fi
}

up() {
	"$DOTSCTL" -s "$T/dotscd.sock" --json servers 2>/dev/null |
	    grep -q '"state": "up"'
}
check "dotscd's session to dotsd is up" wait_until 20 up
ctl servers
expect_rc 0 "servers"
expect_out '^NAME +ADDRESS +PORT +TRANSPORT +STATE'
expect_out '^upstream +127\.0\.0\.1 +[0-9]+ +dtls +up '

ctl mitigate 192.0.2.0/25 --port 80 --protocol tcp --origin it
expect_rc 0 "mitigate"
expect_out '^state +active$'
mid=$(printf '%s\n' "$OUT" | sed -n 's/^mid  *//p')
check "mitigate gives a mid ($mid)" test -n "$mid"

ctl status
expect_rc 0 "status"
expect_out "^upstream +$mid +active +attack-[a-z-]+ +192\.0\.2\.0/25 +80 +tcp"

"$DOTSCTL" -s "$T/dotscd.sock" status --watch >"$T/watch.out" 2>&1 &
watch_pid=$!
BG_PIDS+=("$watch_pid")
check "status --watch is watching" \
    wait_until 10 grep -q '^-- watching' "$T/watch.out"

ctl efficacy "$mid" mitigated
expect_rc 0 "efficacy"

ctl mitigate 198.51.100.0/24
expect_rc 1 "mitigate outside the client's domain"
expect_err '^dotsctl: refused: '
expect_err 'server answered 4\.01: .*198\.51\.100\.0/24'

ctl withdraw "$mid"
expect_rc 0 "withdraw"
expect_out '^state +ended$'

check "status --watch shows the withdrawal" wait_until 10 grep -Eq \
    "status .*mid=$mid state=ended" "$T/watch.out"
kill -INT "$watch_pid"
wait "$watch_pid"
rc=$?
check "status --watch exits 0 when interrupted (got $rc)" test "$rc" -eq 0
sed 's/^/    /' "$T/watch.out"

ctl status --all
expect_rc 0 "status --all"
expect_out "^upstream +$mid +ended +dots-client-withdrawn-mitigation"
expect_out '^upstream +[0-9]+ +failed +4\.01 '

ctl --json status --all
expect_rc 0 "status --all --json"
BODY=$OUT
expect_json_field "mitigations.0.server" "upstream"

OUT=$("$DOTSCTL" -s "$T/nonexistent.sock" servers 2>"$T/ctl.err")
RC=$?
ERR=$(cat "$T/ctl.err")
expect_rc 3 "no daemon"
expect_err "cannot reach dotscd"

if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' \
    "$T/dotscd.log"; then
	fail "dotscd.log has a sanitizer report"
fi
finish
