#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotsctl --direct against the real dotsd: one request per run, over DTLS
# and TLS, with the tables, --json and the exit statuses a script relies
# on (docs/dotsctl.md):
#
#   mitigate (mid given, mid from the clock), status (all, one, --json),
#   efficacy, withdraw; a scope outside the client's domain refused with
#   4.01 and its diagnostic (exit 1); bad arguments exit 2 and send
#   nothing; no server exits 3.
#
#   ctl_direct.sh DOTSD DOTS_CODEC DOTSCTL
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCTL"
DOTSCTL=$3
[ -x "$DOTSCTL" ] || die "$DOTSCTL: not an executable"
lib_init "$1" "$2"

ABT=2
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24')"
sed -i 's/^transport dtls$/transport both/' "$T/dotsd.conf.in"
start_dotsd

OUT=
ERR=
RC=
TLS=()

# ctl ARGS...: run dotsctl --direct as client1; OUT, ERR, RC.
ctl() {
	OUT=$("$DOTSCTL" --direct "127.0.0.1:$DOTSD_PORT" \
	    --ca "$T/certs/ca.pem" --cert "$T/certs/client1.pem" \
	    --key "$T/certs/client1-key.pem" "${TLS[@]+"${TLS[@]}"}" "$@" \
	    2>"$T/ctl.err")
	RC=$?
	ERR=$(cat "$T/ctl.err")
	log "  \$ dotsctl --direct ${TLS[*]+"${TLS[*]} "}$* -> $RC"
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

# expect_out REGEX [WHAT]: a line of OUT matches REGEX (grep -E).
expect_out() {
	# a here-string: with pipefail, grep -q leaving early could fail
	# the pipe (SIGPIPE) although it matched
	if grep -Eq -- "$1" <<<"$OUT"; then
		pass "${2:-output} matches /$1/"
	else
		fail "${2:-output} should match /$1/: $OUT"
	fi
}

expect_err() {
	if grep -Eq -- "$1" <<<"$ERR"; then
		pass "stderr matches /$1/"
	else
		fail "stderr should match /$1/: $ERR"
	fi
}

# A row of the status table: MID, STATE, ... in its columns.
row_re() {
	printf '^127\\.0\\.0\\.1 +%s +%s +' "$1" "$2"
}

lifecycle() {
	local mid=$1 cols='80,443 +tcp +3[56][0-9][0-9] ' pfx='192\.0\.2\.0/25'
	log "== life cycle of mid $mid ${TLS[*]+"(${TLS[*]})"}"
	ctl mitigate 192.0.2.0/25 --port 80,443 --protocol tcp --mid "$mid"
	expect_rc 0 "mitigate"
	expect_out "^mid +$mid$"
	expect_out "^state +active$"
	expect_out "^server-code +2\.01$"

	ctl status
	expect_rc 0 "status"
	expect_out '^SERVER +MID +STATE +STATUS +TARGET +PORTS +PROTO'
	expect_out "$(row_re "$mid" active)attack-[a-z-]+ +$pfx +$cols"

	ctl status "$mid" --json
	expect_rc 0 "status --json"
	BODY=$OUT
	expect_json_field "mitigations.0.mid" "$mid"
	expect_json_field "mitigations.0.scope.target-prefix.0" "192.0.2.0/25"
	expect_json_field "mitigations.0.scope.target-protocol" "[6]"

	ctl efficacy "$mid" mitigated
	expect_rc 0 "efficacy"
	expect_out "^attack-status +attack-successfully-mitigated$"
	expect_out "^server-code +2\.04$"

	ctl withdraw "$mid"
	expect_rc 0 "withdraw"
	expect_out "^state +ended$"
	expect_out "^server-code +2\.02$"
	ctl status "$mid"
	if [ "$RC" = 0 ]; then
		expect_out "$(row_re "$mid" ended)dots-client-withdrawn" \
		    "status after withdraw"
	else
		expect_rc 1 "status of a withdrawn mitigation"
		expect_err "4\.04"
	fi
}

lifecycle 5

log "== a mid from the clock"
before=$(date +%s)
ctl mitigate 192.0.2.128/25 --lifetime 60
after=$(date +%s)
expect_rc 0 "mitigate without --mid"
mid=$(printf '%s\n' "$OUT" | sed -n 's/^mid  *//p')
check "the mid ($mid) is the time ($before..$after)" \
    test "${mid:-0}" -ge "$before" -a "${mid:-0}" -le "$after"
ctl status "$mid"
expect_out "$(row_re "$mid" active).* (60|59) +- *$"
ctl withdraw "$mid"
expect_rc 0 "withdraw $mid"

log "== refused by the server"
ctl mitigate 198.51.100.0/24 --mid 7
expect_rc 1 "mitigate outside the client's domain"
expect_err "^dotsctl: refused: "
expect_err "server answered 4\.01: .*198\.51\.100\.0/24"
ctl mitigate 198.51.100.0/24 --mid 7 --json
expect_rc 1 "mitigate --json outside the client's domain"
BODY=$OUT
expect_json_field "error.code" "refused"
expect_json_field "error.server.code" "4.01"
ctl status 4242
expect_rc 1 "status of an unknown mid"
expect_err "not-found"
expect_err "4\.04"

log "== bad arguments: exit 2, nothing sent"
# a listener on UDP and TCP that notes anything that reaches it
trap_port=$(free_udp_port)
python3 - "$trap_port" "$T/trap" <<'EOF2' &
import select, socket, sys
port, path = int(sys.argv[1]), sys.argv[2]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", port))
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("127.0.0.1", port))
t.listen(5)
open(path, "w").close()
while True:
    r, _, _ = select.select([u, t], [], [])
    with open(path, "a") as f:
        f.write("udp\n" if u in r else "tcp\n")
    if u in r:
        u.recvfrom(65536)
    else:
        t.accept()[0].close()
EOF2
BG_PIDS+=("$!")
wait_until 5 test -f "$T/trap" || die "the listener did not start"
real_port=$DOTSD_PORT
DOTSD_PORT=$trap_port
for args in "mitigate 192.0.2.1/24" "mitigate 192.0.2.0/24 --port 70000" \
    "mitigate 192.0.2.0/24 --protocol tcp,bogus" "mitigate 127.0.0.1" \
    "mitigate 192.0.2.0/24 --lifetime 0" "mitigate" "withdraw x" \
    "efficacy 5 maybe" "status 1 2" "mitigate 192.0.2.0/24 --bogus" \
    "servers" "cancel 5"; do
	# shellcheck disable=SC2086
	ctl $args
	expect_rc 2 "dotsctl --direct $args"
	expect_err "^dotsctl: "
done
sleep 0.5
check "nothing reached the listener" test ! -s "$T/trap"
# while a request that is sent does (and finds no DTLS server: exit 3)
ctl status
expect_rc 3 "a server that does not answer"
check "a request that is sent reaches the listener" test -s "$T/trap"
DOTSD_PORT=$real_port

log "== no server, bad files"
OUT=$("$DOTSCTL" --direct "127.0.0.1:$(free_udp_port)" \
    --ca "$T/certs/ca.pem" --cert "$T/certs/client1.pem" \
    --key "$T/certs/client1-key.pem" status 2>"$T/ctl.err")
RC=$?
ERR=$(cat "$T/ctl.err")
expect_rc 3 "no server listening"
expect_err "cannot reach the DOTS server"
OUT=$("$DOTSCTL" --direct "127.0.0.1:$DOTSD_PORT" --ca "$T/certs/ca.pem" \
    --cert "$T/certs/nonexistent.pem" --key "$T/certs/client1-key.pem" \
    status 2>"$T/ctl.err")
RC=$?
ERR=$(cat "$T/ctl.err")
expect_rc 2 "a certificate file that does not exist"
expect_err "nonexistent\.pem"

sleep $((ABT + 1))	# until the withdrawn mitigations are gone
TLS=(--tls)
lifecycle 20

finish
