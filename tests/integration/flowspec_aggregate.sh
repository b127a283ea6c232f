#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Offloading a reflection attack with thousands of reflectors through the
# flowspec mitigator, as far as a GoBGP forwarding node.  The rule budget
# of a mitigation is 32:
#
# - 3000 reflectors in 12 networks: merged into at most 32 source
#   prefixes, none shorter than the /16 minimum, that cover every
#   reflector; the choice is in dotsd's log with its counts;
# - 3000 reflectors all over the address space: no /16 merging can fit,
#   so one rule on the source ports (DNS 53, NTP 123) as the offload
#   scenario's matrix says for "the number of reflectors is enormous";
# - the same without source ports: refused with the reason;
# - withdrawals leave the forwarding node empty.
#
#   flowspec_aggregate.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/flowspec_lib.sh"
lib_init "$@"
gobgp_init

start_fwd
start_speaker
wait_established

BUDGET=32
ABT=1
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' 'mitigator "fs"')
mitigator \"fs\" {
	type flowspec
	gobgp \"$GOBGP\"
	api-host $SPK_ADDR
	api-port $SPK_API_PORT
	reconcile-interval 5
	retry-interval 1
	max-rules-per-client 100
	max-rules-per-mitigation $BUDGET
	min-source-prefix-length-v4 16
}"
start_dotsd
as_client client1

# reflectors N NETS SEED: the JSON list of N /32s, in NETS /16s (0: the
# whole unicast space), the same for the same seed
reflectors() {
	python3 - "$@" <<'PY'
import json, random, sys
n, nets, seed = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
r = random.Random(seed)
def unicast():
    while True:
        a = r.getrandbits(32)
        if 1 <= a >> 24 <= 223 and a >> 24 not in (10, 127):
            return a
base = [unicast() & 0xffff0000 for _ in range(nets)]
out = set()
while len(out) < n:
    a = r.choice(base) | r.getrandbits(16) if nets else unicast()
    out.add("%d.%d.%d.%d/32" % (a >> 24, a >> 16 & 255, a >> 8 & 255,
                                a & 255))
print(json.dumps(sorted(out)))
PY
}

# reflection TARGET SOURCES_JSON [PORTS]: the scope of the offload request
reflection() {
	local ports=
	[ "${3:-}" = noports ] || ports=',"ietf-dots-call-home:source-port-range":[{"lower-port":53},{"lower-port":123}]'
	printf '{"%s":{"scope":[{"target-prefix":["%s"],"target-protocol":[17],"ietf-dots-call-home:source-prefix":%s%s,"lifetime":3600}]}}' \
	    "$MS" "$1" "$2" "$ports"
}

# covered SOURCES_FILE TARGET: every source lies in a source prefix of a
# rule for TARGET at the forwarding node, none is shorter than /16, and
# there are at most $BUDGET such rules.  Prints the count.
covered() {
	fwd_rib ipv4-flowspec | python3 -c '
import ipaddress, json, re, sys
srcs = json.load(open(sys.argv[1]))
dst, budget = sys.argv[2], int(sys.argv[3])
nets = []
for line in sys.stdin:
    if "[destination: %s]" % dst not in line:
        continue
    m = re.search(r"\[source: ([0-9./]+)\]", line)
    if not m or "[source-port: ==53 ==123]" not in line:
        sys.exit("not an aggregated rule: " + line.strip())
    nets.append(ipaddress.ip_network(m.group(1)))
if not nets or len(nets) > budget:
    sys.exit("%d rules for %s, budget %d" % (len(nets), dst, budget))
if min(n.prefixlen for n in nets) < 16:
    sys.exit("a source prefix shorter than /16")
nets.sort()
import bisect
starts = [int(n.network_address) for n in nets]
for s in srcs:
    a = int(ipaddress.ip_network(s).network_address)
    i = bisect.bisect_right(starts, a) - 1
    if i < 0 or ipaddress.ip_address(a) not in nets[i]:
        sys.exit("reflector %s not covered" % s)
print(len(nets))' "$1" "$2" "$BUDGET"
}

rules_for() {
	fwd_rib ipv4-flowspec | grep -c "\[destination: $1\]"
}

log "== 3000 reflectors in 12 networks towards 192.0.2.2"
reflectors 3000 12 1 >"$T/src1.json"
put_json 1 "$(reflection 192.0.2.2/32 "$(cat "$T/src1.json")")"
expect_code 2.01 "PUT mid 1 (3000 source prefixes, $(wc -c <"$T/put.$REQ_SEQ.cbor") bytes of CBOR)"
check "mid 1 is mitigated once its rules are in" \
    wait_until 30 status_is 1 attack-successfully-mitigated
if n=$(covered "$T/src1.json" 192.0.2.2/32 2>"$T/covered.err"); then
	pass "mid 1: $n rules at the forwarding node cover all 3000 reflectors"
else
	fail "mid 1: $(cat "$T/covered.err")"
fi
check "dotsd logged the aggregation with its counts" grep -Eq \
    'mitigation [0-9]+: 3000 source prefixes pass the budget of 32 rules: aggregated, [0-9]+ source prefixes, [0-9]+ rules' \
    "$T/dotsd.log"
grep -E 'source prefixes pass the budget' "$T/dotsd.log" | tail -n 1 |
    sed 's/^/    /'

log "== 3000 reflectors everywhere towards 192.0.2.3: source ports"
reflectors 3000 0 2 >"$T/src2.json"
put_json 2 "$(reflection 192.0.2.3/32 "$(cat "$T/src2.json")")"
expect_code 2.01 "PUT mid 2 (3000 scattered source prefixes)"
want1=$(fwd_rib ipv4-flowspec | grep -F '[destination: 192.0.2.2/32]')
expect_fwd_rib ipv4-flowspec "$( (echo "$want1"
    echo "[destination: 192.0.2.3/32][protocol: ==udp][source-port: ==53 ==123] rate 0") |
    sort)" 30
check "dotsd logged the source-port rule" grep -Eq \
    'mitigation [0-9]+: 3000 source prefixes pass the budget of 32 rules: source ports instead of sources, 0 source prefixes, 1 rules' \
    "$T/dotsd.log"

log "== the same without source ports: refused"
put_json 3 "$(reflection 192.0.2.4/32 "$(cat "$T/src2.json")" noports)"
expect_code 5.03 "PUT mid 3 (3000 scattered sources, no source port)"
expect_body_contains "more than the 32 a mitigation may have, even merged"
check "mid 3 announced nothing" [ "$(rules_for 192.0.2.4/32)" = 0 ]

log "== withdraw both"
delete 1
expect_code 2.02 "DELETE mid 1"
delete 2
expect_code 2.02 "DELETE mid 2"
expect_fwd_rib ipv4-flowspec "" 30

finish
