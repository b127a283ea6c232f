#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The client library (include/dots/client.h) against the real dotsd:
# dots_client_test drives each scenario and checks every answer, this
# script starts, kills and restarts dotsd around it.
#
#   main (DTLS, then TLS)  /config negotiation, create, GET, Observe with
#                          notifications, efficacy update, withdrawal,
#                          heartbeat, unauthorized prefix, expiry
#   refused                a client dotsd does not know; a server name the
#                          server's certificate does not carry
#   hb                     heartbeats from a server (a small one in
#                          dots_client_test: dotsd sends none yet)
#   restart                dotsd stopped (SIGSTOP) during a mitigation:
#                          the library's heartbeats find the session
#                          down; then kill -9 and a restart of dotsd: the
#                          library connects again, observes again and
#                          finds the mitigation
#
#   client_lib.sh DOTSD DOTS_CODEC DOTS_CLIENT_TEST
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTS_CLIENT_TEST"
TESTER=$3
[ -x "$TESTER" ] || die "$TESTER: not an executable"
lib_init "$1" "$2"

ABT=2
dotsd_conf "heartbeat-interval 30 20 120
$(client_block client1 'prefix 192.0.2.0/24')"
# DTLS and TLS on the same port
sed -i 's/^transport dtls$/transport both/' "$T/dotsd.conf.in"
start_dotsd

# tester SCENARIO CLIENT [ARG]: run dots_client_test; its checks count as
# one check here, and its output is shown.
tester() {
	local scenario=$1 client=$2 rc
	shift 2
	log "== dots_client_test $scenario $client $*"
	"$TESTER" "$scenario" 127.0.0.1 "$DOTSD_PORT" "$T/certs" "$client" \
	    "${CUIDS[$client]}" "$@" 2>&1 | sed 's/^/  /'
	rc=${PIPESTATUS[0]}
	check "dots_client_test $scenario $* (exit status $rc)" test "$rc" -eq 0
}

tester main client1
sleep $((ABT + 1))	# until the withdrawn mitigations are gone
tester main client1 tls
tester refused rogue
tester refused client1 wrong.example
hb_port=$(free_udp_port)
"$TESTER" hb 127.0.0.1 "$hb_port" "$T/certs" client1 "${CUIDS[client1]}" \
    2>&1 | sed 's/^/  /'
rc=${PIPESTATUS[0]}
check "dots_client_test hb (exit status $rc)" test "$rc" -eq 0

log "== restart: kill -9 of dotsd while the client holds mid 10"
rm -f "$T/ready"
"$TESTER" restart 127.0.0.1 "$DOTSD_PORT" "$T/certs" client1 \
    "${CUIDS[client1]}" "$T/ready" >"$T/restart.out" 2>&1 &
pid=$!
BG_PIDS+=("$pid")
check "the client holds mid 10" wait_until 20 test -f "$T/ready"
# stopped, dotsd answers nothing and the port stays open (no ICMP error
# ends the session): only the library's heartbeats can see it is gone
kill -STOP "$DOTSD_PID"
check "the library declares the session down" \
    wait_until 20 test -f "$T/ready.down"
kill_dotsd
start_dotsd
wait "$pid"
rc=$?
sed 's/^/  /' "$T/restart.out"
check "dots_client_test restart (exit status $rc)" test "$rc" -eq 0

finish
