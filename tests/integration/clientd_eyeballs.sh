#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotscd's happy eyeballs (RFC 9132 section 4.3) against the real dotsd,
# `transport auto` (the default):
#
#   both       dotsd on DTLS and TLS: the session is over DTLS
#   tls only   dotsd with `transport tls`: the session is over TLS within
#              2 s of the start, and a mitigation goes active
#   udp lost   (root only) dotscd in a network namespace made here, the
#              server's name resolving to an IPv6 and an IPv4 address
#              (/etc/netns/NS/hosts), dotsd on both: DTLS over IPv6;
#              with UDP to dotsd dropped by nftables in the namespace:
#              TLS over IPv6 within 2 s; UDP allowed again and dotsd
#              restarted: the reconnection stays on TLS (the winner is
#              remembered); dotsd stopped until a round fails, then
#              started: DTLS again (a failure forgets the winner)
#
# The namespace, its hosts file, the veth pair and the rules go away on
# exit, whatever the outcome (EXIT trap).
#
#   clientd_eyeballs.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/clientd_lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCD"
clientd_init "$@"

NS=
VH=

ns_cleanup() {
	local rc=$?
	[ -z "$DOTSCD_PID" ] || kill -KILL "$DOTSCD_PID" 2>/dev/null
	if [ -n "$NS" ]; then
		ip netns del "$NS" 2>/dev/null
		rm -rf "/etc/netns/$NS"
	fi
	[ -z "$VH" ] || ip link del "$VH" 2>/dev/null
	(exit "$rc")
	lib_cleanup
}
trap ns_cleanup EXIT

srv() {
	ctl '{"cmd":"servers"}'
	ans "result.servers.0.$1" 2>/dev/null
}

on() {
	[ "$(srv state)" = up ] && [ "$(srv transport)" = "$1" ] &&
	    { [ -z "${2:-}" ] || [ "$(srv remote-address)" = "$2" ]; }
}

# up_within SECONDS TRANSPORT: the session is up over TRANSPORT within
# SECONDS of now (0.1 s steps)
up_within() {
	local i
	for i in $(seq 1 $(($1 * 10))); do
		on "$2" && return 0
		sleep 0.1
	done
	return 1
}

client=$(client_block client1 'prefix 192.0.2.0/24')

log "== dotsd on DTLS and TLS"
TRANSPORT=both dotsd_conf "$client"
start_dotsd
dotscd_conf "timeout 3"
start_dotscd
check "session up within 5 s" wait_until 5 server_up
check "over DTLS" on dtls 127.0.0.1
check "transport-config is auto" test "$(srv transport-config)" = auto
stop_dotscd
stop_dotsd

log "== dotsd on TLS only"
TRANSPORT=tls dotsd_conf "$client"
start_dotsd
start_dotscd
t0=$(date +%s%N)
check "over TLS within 2 s" up_within 2 tls
log "   up after $((($(date +%s%N) - t0) / 1000000)) ms"
ctl '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/24"]}}'
expect_ans result.state active "a mitigation over TLS is active"
stop_dotscd
stop_dotsd

if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null ||
    ! command -v nft >/dev/null; then
	log "== udp lost: skipped (needs root, ip and nft)"
	finish
fi

log "== udp lost, in a namespace, over a dual-stack name"
NS=dotshe$$
VH=dhe$$h
VN=dhe$$n
NET=10.$((200 + $$ % 50)).$(($$ % 250)).
V4=${NET}1
V6=fd00:d075:$(printf %x $(($$ % 65536)))::1
ip netns add "$NS" || die "ip netns add"
ip link add "$VH" type veth peer name "$VN" || die "veth"
ip link set "$VN" netns "$NS"
ip addr add "$V4/30" dev "$VH"
ip addr add "$V6/64" dev "$VH" nodad
ip link set "$VH" up
ip -n "$NS" addr add "${NET}2/30" dev "$VN"
ip -n "$NS" addr add "${V6%1}2/64" dev "$VN" nodad
ip -n "$NS" link set "$VN" up
ip -n "$NS" link set lo up
mkdir -p "/etc/netns/$NS"
printf '%s dotsd-dual\n%s dotsd-dual\n' "$V6" "$V4" >"/etc/netns/$NS/hosts"

drop() {
	ip netns exec "$NS" nft -f - <<EOF2
table inet dotshe_test
delete table inet dotshe_test
table inet dotshe_test {
	chain out {
		type filter hook output priority 0;
		${1:+$1 drop}
	}
}
EOF2
}

TRANSPORT=both dotsd_conf "$client"
sed -i "s/^listen .*/&\nlisten $V4 @PORT@\nlisten $V6 @PORT@/" \
    "$T/dotsd.conf.in"
start_dotsd
drop ""
SERVER_ADDR=dotsd-dual
dotscd_conf "timeout 2"
# a reconnection after dotsd's restart below must find it up
sed -i 's/^reconnect-min 1$/reconnect-min 3/' "$T/dotscd.conf.in"

start_dotscd ip netns exec "$NS"
check "both open: DTLS over IPv6" wait_until 5 on dtls "$V6"
stop_dotscd

drop "meta l4proto udp th dport $DOTSD_PORT"
start_dotscd ip netns exec "$NS"
t0=$(date +%s%N)
check "UDP dropped: TLS over IPv6 within 2 s" up_within 2 tls "$V6"
log "   up after $((($(date +%s%N) - t0) / 1000000)) ms"
ctl '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/24"]}}'
expect_ans result.state active "a mitigation over TLS is active"
MID=$(ans result.mid)

drop ""
stop_dotsd
start_dotsd
check "dotsd restarted: the winner, TLS, is tried first and kept" \
    wait_until 10 on tls "$V6"
check "the mitigation is still active" wait_until 5 mit_is "$MID" active

failed_rounds() {
	grep -c 'cannot connect' "$T/dotscd.log"
}
more_failed_rounds() {
	[ "$(failed_rounds)" -gt "$1" ]
}
before=$(failed_rounds)
stop_dotsd
check "dotsd stopped: a connection round fails" wait_until 10 \
    more_failed_rounds "$before"
start_dotsd
check "after a failed round, the preferred order again: DTLS" \
    wait_until 10 on dtls "$V6"
stop_dotscd
stop_dotsd
check "no sanitizer report in dotscd.log" \
    bash -c "! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' '$T/dotscd.log'"
finish
