#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotscd's configuration reloaded on SIGHUP, against the real dotsd:
#
#   a server added: it connects, the session of the other one is kept
#   (same `since`, no "session down" in the log); a threshold trigger
#   added; log-level and on-signal-loss changed
#   a server changed: its session is re-established (over TLS now) and
#   its active mitigation is kept and observed again
#   a server removed
#   refused, the running configuration staying: a syntax error, a server
#   without credentials, a certificate that does not exist, a threshold
#   without interface, a new database path
#   the new log level (no debug lines) and the new on-signal-loss hook
#   (it runs when dotsd stops)
#
#   clientd_reload.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/clientd_lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCD"
clientd_init "$@"

TRANSPORT=both dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24')
$(client_block client2 'prefix 198.51.100.0/24')"
start_dotsd
dotscd_conf "" "on-signal-loss \"echo old >>$T/hook.out\""
start_dotscd
check "session up" wait_until 10 server_up
ctl '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/24"]}}'
expect_ans result.state active "a mitigation, active"
MID=$(ans result.mid)

# field SERVER PATH: a field of one server in `servers`
field() {
	ctl '{"cmd":"servers"}'
	python3 - "$ANS" "$1" "$2" <<'PY'
import json, sys
for s in json.loads(sys.argv[1])["result"]["servers"]:
    if s["name"] == sys.argv[2]:
        print(s.get(sys.argv[3], ""))
PY
}

nservers() {
	ctl '{"cmd":"servers"}'
	ans result.servers | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}

# reload FILE: install FILE as dotscd.conf, SIGHUP, wait for the verdict
# (reloaded or refused); status 0 if reloaded
reload() {
	local before_ok before_no i
	sed "s/@PORT@/$DOTSD_PORT/" "$1" >"$T/dotscd.conf"
	before_ok=$(grep -c 'configuration reloaded' "$T/dotscd.log")
	before_no=$(grep -c 'reload refused' "$T/dotscd.log")
	kill -HUP "$DOTSCD_PID"
	for i in $(seq 1 50); do
		[ "$(grep -c 'configuration reloaded' "$T/dotscd.log")" -gt \
		    "$before_ok" ] && return 0
		[ "$(grep -c 'reload refused' "$T/dotscd.log")" -gt \
		    "$before_no" ] && return 1
		sleep 0.1
	done
	return 1
}

server_b() {
	cat <<EOF2
server "b" {
	address 127.0.0.1
	port @PORT@
	server-name localhost
	ca-file "$T/certs/ca.pem"
	cert-file "$T/certs/client2.pem"
	key-file "$T/certs/client2-key.pem"
}
EOF2
}

BASE=$T/dotscd.conf.in
since0=$(field up since)

log "== a server added, a trigger added, log level and hook changed"
{
	sed -e 's/^log-level debug/log-level info/' \
	    -e "s|echo old|echo new|" "$BASE"
	server_b
	printf 'threshold "t0" {\n\tinterface lo\n\tcapacity 1G\n\tprefix 192.0.2.0/24\n}\n'
} >"$T/c1.in"
mark=$(wc -l <"$T/dotscd.log")
check "reloaded" reload "$T/c1.in"
check "the reload counts 2 servers and 1 trigger" \
    grep -q 'configuration reloaded: 2 servers, 1 threshold' "$T/dotscd.log"
check "two servers" test "$(nservers)" = 2
b_up() { [ "$(field b state)" = up ]; }
check "server b comes up" wait_until 10 b_up
check "server up kept its session (same since)" \
    test "$(field up since)" = "$since0"
check "no session down for server up" \
    bash -c "! tail -n +$mark '$T/dotscd.log' | grep -q 'server up: session down'"
check "the mitigation is still active" mit_is "$MID" active

log "== refused, the running configuration stays"
printf 'server "x" {\n' >"$T/bad1.in"
! reload "$T/bad1.in"; check "a syntax error is refused" test $? -eq 0
{ cat "$T/c1.in"; printf 'server "c" {\n\taddress 127.0.0.1\n}\n'; } \
    >"$T/bad2.in"
! reload "$T/bad2.in"; check "a server without credentials is refused" test $? -eq 0
sed "s|client2-key.pem|nope.pem|" "$T/c1.in" >"$T/bad3.in"
! reload "$T/bad3.in"; check "a missing key file is refused" test $? -eq 0
sed "s|interface lo|rise 3|" "$T/c1.in" >"$T/bad4.in"
! reload "$T/bad4.in"; check "a threshold without interface is refused" test $? -eq 0
sed "s|dotscd.db|other.db|" "$T/c1.in" >"$T/bad5.in"
! reload "$T/bad5.in"; check "a new database path is refused" test $? -eq 0
check "the reason is logged" grep -q \
    'reload refused: database cannot change without a restart' "$T/dotscd.log"
check "still two servers" test "$(nservers)" = 2
check "server up still up with the same session" \
    test "$(field up since)" = "$since0"

log "== a server changed: new session (TLS), mitigation kept"
sed '/^server "up"/,/^}/s/^\t\(server-name\)/\ttransport tls\n\t\1/' \
    "$T/c1.in" >"$T/c2.in"
mark=$(wc -l <"$T/dotscd.log")
check "reloaded" reload "$T/c2.in"
up_tls() { [ "$(field up state)" = up ] && [ "$(field up transport)" = tls ]; }
check "server up is back over TLS" wait_until 10 up_tls
check "its mitigation is kept, active" mit_is "$MID" active
check "and observed again" wait_until 10 grep -q "mid $MID observed again" \
    "$T/dotscd.log"
check "log-level info: no debug line since the reload" \
    bash -c "! tail -n +$mark '$T/dotscd.log' | grep -q 'debug:'"

log "== a server removed"
sed '/^server "b"/,/^}/d' "$T/c2.in" >"$T/c3.in"
check "reloaded" reload "$T/c3.in"
check "one server" test "$(nservers)" = 1
check "server up still up" test "$(field up state)" = up

log "== the new on-signal-loss hook"
stop_dotsd
check "the new hook ran" wait_until 20 grep -q new "$T/hook.out"
check "not the old one" bash -c "! grep -q old '$T/hook.out'"
stop_dotscd
check "no sanitizer report in dotscd.log" \
    bash -c "! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' '$T/dotscd.log'"
finish
