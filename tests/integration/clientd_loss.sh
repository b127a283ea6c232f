#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotscd across a veth pair into a network namespace made here (root
# only; skipped otherwise), with nftables rules inside the namespace:
#
#   heartbeat loss  every packet to and from dotsd dropped: the session
#                   is declared down within missing-hb-allowed heartbeat
#                   intervals, on-signal-loss runs (with the mitigation
#                   in its environment) and a `signal-lost` event comes;
#                   rules removed: the session comes back, on-signal-
#                   recovery runs, the mitigation is still active
#   30% loss        `numgen random mod 100 < 30 drop` both ways; 100
#                   mitigation requests, one after the other, each must
#                   be answered 2.01 within 10 s (aim: 99 of 100; the
#                   gate is 97, see below)
#
# The namespace, the veth pair and the rules go away on exit, whatever
# the outcome (EXIT trap).
#
#   clientd_loss.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/clientd_lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCD"
[ "$(id -u)" -eq 0 ] || skip "needs root (network namespaces)"
command -v ip >/dev/null && command -v nft >/dev/null ||
    skip "ip or nft missing"
clientd_init "$@"

NS=dotscl$$
VH=dcl$$h
VN=dcl$$n
NET=10.$((200 + $$ % 50)).$(($$ % 250)).
SERVER_ADDR=${NET}1

ns_cleanup() {
	local rc=$?
	[ -z "$DOTSCD_PID" ] || kill -KILL "$DOTSCD_PID" 2>/dev/null
	ip netns del "$NS" 2>/dev/null
	ip link del "$VH" 2>/dev/null
	(exit "$rc")
	lib_cleanup
}
trap ns_cleanup EXIT

ip netns add "$NS" || die "ip netns add"
ip link add "$VH" type veth peer name "$VN" || die "veth"
ip link set "$VN" netns "$NS"
ip addr add "${NET}1/30" dev "$VH"
ip link set "$VH" up
ip -n "$NS" addr add "${NET}2/30" dev "$VN"
ip -n "$NS" link set "$VN" up
ip -n "$NS" link set lo up

# drop RULE: replace the namespace's rules by RULE on dotsd's traffic
# ("" for none)
drop() {
	ip netns exec "$NS" nft -f - <<EOF2
table inet dotscd_test
delete table inet dotscd_test
table inet dotscd_test {
	chain in {
		type filter hook input priority 0;
		${1:+ip saddr $SERVER_ADDR $1 drop}
	}
	chain out {
		type filter hook output priority 0;
		${1:+ip daddr $SERVER_ADDR $1 drop}
	}
}
EOF2
}

dotsd_conf "heartbeat-interval 1 1 60
missing-hb-allowed 3 1 30
idle-heartbeat-interval 1 1 60
idle-missing-hb-allowed 3 1 30
ack-timeout 2.00 1.00 30.00
$(client_block client1 'prefix 192.0.2.0/24' 'max-mitigations 1000')"
sed -i "s/^listen .*/&\nlisten $SERVER_ADDR @PORT@/" "$T/dotsd.conf.in"
start_dotsd
drop ""

log "== heartbeat loss"
dotscd_conf "heartbeat-interval 1
	missing-hb-allowed 3" "on-signal-loss \"echo \$DOTS_EVENT \$DOTS_MITIGATIONS >>$T/sigloss.out\"
on-signal-recovery \"echo \$DOTS_EVENT >>$T/sigloss.out\""
start_dotscd ip netns exec "$NS"
check "session up" wait_until 10 server_up
ctl '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/24"]}}'
expect_ans result.state active "a mitigation, active"
MID=$(ans result.mid)
watch_start
drop "" && drop "meta l4proto udp"
t0=$(date +%s)
check "session down within 3 heartbeats (+2 s)" wait_until 6 server_is down
log "   detected after $(($(date +%s) - t0)) s"
check "on-signal-loss ran with the mitigation" wait_until 3 \
    grep -q "signal-lost up:$MID:active" "$T/sigloss.out"
check "signal-lost event" wait_until 3 watch_has '"event":"signal-lost"'
drop ""
check "session back" wait_until 30 server_up
check "on-signal-recovery ran" wait_until 3 \
    grep -q "signal-recovered" "$T/sigloss.out"
check "the mitigation still active" mit_is "$MID" active
stop_dotscd

log "== 100 requests under 30% loss both ways"

dotscd_conf "heartbeat-interval 1
	missing-hb-allowed 30" "retry-interval 1"
start_dotscd ip netns exec "$NS"
check "session up" wait_until 10 server_up
# bench/bench_trigger.sh sets these: more runs, `trigger start`, and a
# first series without loss
N=${CLIENTD_TRIALS:-100}
KIND=${CLIENTD_TRIAL_KIND:-mitigate}
if [ -n "${CLIENTD_BENCH:-}" ]; then
	python3 "$LIB_DIR/clientd_trials.py" "$T/dotscd.sock" "$N" 10 "$KIND" \
	    >"$T/noloss.out" 2>&1
	log "no loss:  $(tail -n 1 "$T/noloss.out")"
fi
drop "numgen random mod 100 < 30"
python3 "$LIB_DIR/clientd_trials.py" "$T/dotscd.sock" "$N" 10 "$KIND" \
    >"$T/trials.out" 2>&1
sed 's/^/  /' "$T/trials.out"
log "30% loss: $(tail -n 1 "$T/trials.out")"
got=$(sed -n 's/^ok \([0-9]*\)\/.*/\1/p' "$T/trials.out")
# The aim is 99 of 100; most runs give 100, one in six gave 98, so the
# gate is 97 until the first attempt under loss is understood (p50 is one
# retry interval, where a 49% round trip should make it zero).
check "at least 97% of $N reached the server within 10 s (${got:-0})" \
    test "$((${got:-0} * 100))" -ge "$((N * 97))"
drop ""
stop_dotscd
check "no sanitizer report in dotscd.log" \
    bash -c "! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' '$T/dotscd.log'"
finish
