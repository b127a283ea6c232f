#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The flowspec mitigator against a forwarding node, on loopback: dotsd
# drives a GoBGP speaker, which announces to a second gobgpd (the set-up
# of tests/integration/flowspec_lib.sh, whose helpers this script uses).
#
# 1. Latency: the time from sending a DOTS mitigation request (coap-client
#    over DTLS, handshake included) to the flow rule being in the
#    forwarding node's Adj-RIB-In, p50/p99 over N runs (default 50); each
#    rule is withdrawn before the next run.
# 2. Throughput: 10,000 reflector sources (UDP, source ports 53 and 123),
#    sent as 5 mitigation requests of 2000 sources, each towards its own
#    target, 192.0.2.2 to 192.0.2.6: requests of one client whose targets
#    overlap replace each other (RFC 9132, section 4.4.1.2), so with one
#    target for all only the last 2000 would stay.  With aggregation off
#    (10,000 rules) and on (a budget of 64 rules a mitigation, no merged
#    prefix shorter than /16): the time until the
#    forwarding node holds every rule, or at most WINDOW seconds (default
#    60), and the rules per second over that time.
#
# Figures are printed, never asserted.
#
#   bench/bench_flowspec.sh BUILD_DIR [N]
set -uo pipefail
B=$(cd "${1:?usage: $0 BUILD_DIR [N]}" && pwd)
RUNS=${2:-50}
WINDOW=${WINDOW:-60}
D=$(cd "$(dirname "$0")/.." && pwd)
. "$D/tests/integration/lib.sh"
. "$D/tests/integration/flowspec_lib.sh"
. "$D/bench/bench_lib.sh"
lib_init "$B/src/server/dotsd" "$B/src/cli/dots-codec"
gobgp_init
start_fwd
start_speaker
wait_established

conf() {	# conf AGGREGATE BUDGET
	dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' \
	    'mitigator "fs"' 'max-mitigations 1000')
mitigator \"fs\" {
	type flowspec
	gobgp \"$GOBGP\"
	api-host $SPK_ADDR
	api-port $SPK_API_PORT
	reconcile-interval 600
	retry-interval 1
	max-rules 20000
	max-rules-per-client 20000
	aggregate $1
	max-rules-per-mitigation $2
	min-source-prefix-length-v4 16
}"
}

log "== latency: DOTS request to flow rule at the forwarding node, $RUNS runs"
conf yes 64
start_dotsd
as_client client1
: >"$T/lat"
for i in $(seq 1 "$RUNS"); do
	dst="192.0.2.$((i % 200 + 1))"
	t0=$(now)
	put_json "$i" "$(mit_json "$dst/32" 3600 '"target-protocol":[17]')" \
	    >/dev/null
	until fwd_has "destination: $dst/32"; do :; done
	t1=$(now)
	echo $(((t1 - t0) / 1000)) >>"$T/lat"
	delete "$i" >/dev/null
	until ! fwd_has "destination: $dst/32"; do sleep 0.02; done
done
P50=$(percentile 50 <"$T/lat")
P99=$(percentile 99 <"$T/lat")
echo "latency: $RUNS runs, p50 $P50 ms, p99 $P99 ms (request sent to rule at the forwarding node)"
stop_dotsd
rm -f "$T/dotsd.db"

# 10,000 reflectors in 40 networks of a /16, as 5 lists of 2000
python3 - "$T" <<'PY'
import json, random, sys
r = random.Random(9)
base = []
while len(base) < 40:
    a = r.getrandbits(32) & 0xffff0000
    if 1 <= a >> 24 <= 223 and a >> 24 not in (10, 127):
        base.append(a)
out = set()
while len(out) < 10000:
    a = r.choice(base) | r.getrandbits(16)
    out.add("%d.%d.%d.%d/32" % (a >> 24, a >> 16 & 255, a >> 8 & 255,
                                a & 255))
out = sorted(out)
r.shuffle(out)
for k in range(5):
    with open("%s/refl.%d.json" % (sys.argv[1], k), "w") as f:
        json.dump(out[k * 2000:(k + 1) * 2000], f)
PY

offload() {	# offload LABEL: the 5 requests, then wait for every rule
	local k t0 t1 want got
	t0=$(now)
	for k in 0 1 2 3 4; do
		put_json "$((k + 1))" "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"192.0.2.$((k + 2))/32\"],\"target-protocol\":[17],\"ietf-dots-call-home:source-prefix\":$(cat "$T/refl.$k.json"),\"ietf-dots-call-home:source-port-range\":[{\"lower-port\":53},{\"lower-port\":123}],\"lifetime\":3600}]}}" \
		    >/dev/null
		[ "$CODE" = 2.01 ] || die "$1: request $k: $CODE $BODY"
	done
	if [ "$1" = off ]; then
		want=10000
	else
		want=$(sed -n 's/.*aggregated, [0-9]* source prefixes, \([0-9]*\) rules.*/\1/p' \
		    "$T/dotsd.log" | awk '{ s += $1 } END { print s + 0 }')
	fi
	while got=$(fwd_count); [ "$got" -lt "$want" ] &&
	    [ $(($(now) - t0)) -lt $((WINDOW * 1000000)) ]; do
		sleep 0.2
	done
	t1=$(now)
	awk -v l="$1" -v n="$got" -v w="$want" -v us=$((t1 - t0)) 'BEGIN {
	    printf "offload 10000 reflectors, aggregation %s: %d of %d rules at the forwarding node after %.1f s, %.1f rules/s\n",
	    l, n, w, us / 1e6, n / (us / 1e6) }'
}

log "== 10,000 reflectors, aggregation off"
conf no 0
start_dotsd
as_client client1
offload off
stop_dotsd
spk global rib -a ipv4-flowspec del all >/dev/null 2>&1
rm -f "$T/dotsd.db"

log "== 10,000 reflectors, aggregation on (64 rules a mitigation, /16)"
conf yes 64
start_dotsd
as_client client1
offload on
grep 'pass the budget' "$T/dotsd.log" | sed 's/^.*info: /    /'
stop_dotsd
exit 0
