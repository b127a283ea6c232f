#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Time to put 1,000 ACEs in force with one acl-list (RFC 9133): ten ACLs
# of 100 entries each (a data-channel body is at most 64 KiB, which holds
# about 250 such entries), made in peace time with activation-type
# deactivate over the data channel (curl), then named together, each with
# activation-type immediate, in one mitigation request (coap-client over
# DTLS, handshake included).  Measured from the request sent to:
#
#   - the 2.01 received;
#   - log mitigator: the tenth ACL handed to it (its log line);
#   - flowspec mitigator: the 1,000 flow rules (and the request's own) in
#     the forwarding node's Adj-RIB-In (GoBGP speaker and forwarding node
#     on loopback, the set-up of tests/integration/flowspec_lib.sh).
#
# The same request without acl-list, to 2.01, is the baseline: the DTLS
# handshake and the request itself.
#
# Between runs the mitigation is withdrawn and the ACLs put back to
# deactivate, and the next run waits until nothing is in force.  Figures
# are printed (median and worst of N runs), never asserted.
#
#   bench/bench_acl_activation.sh BUILD_DIR [N]
set -uo pipefail
B=$(cd "${1:?usage: $0 BUILD_DIR [N]}" && pwd)
RUNS=${2:-5}
D=$(cd "$(dirname "$0")/.." && pwd)
. "$D/tests/integration/lib.sh"
. "$D/tests/integration/datachan_lib.sh"
. "$D/tests/integration/flowspec_lib.sh"
. "$D/bench/bench_lib.sh"
lib_init "$B/src/server/dotsd" "$B/src/cli/dots-codec"
gobgp_init
start_fwd
start_speaker
wait_established

NACL=10
NACE=100
# ACLs bulk0..bulk9, deactivated: 100 drop entries each, each one
# host of 192.0.2.0/24 and one UDP source port, none like another.
python3 - "$T" "$NACL" "$NACE" <<'PY'
import json, sys
t, nacl, nace = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
A = "ietf-access-control-list"
ports = [53, 123, 161, 389, 1900, 11211, 19, 17]
for k in range(nacl):
    aces = []
    for i in range(nace):
        n = k * nace + i
        aces.append({"name": "e%d" % n,
            "matches": {"ipv4": {"destination-ipv4-network":
                "192.0.2.%d/32" % (n % 250 + 1), "protocol": 17},
                "udp": {"source-port-range-or-operator":
                    {"operator": "eq", "port": ports[n // 250]}}},
            "actions": {"forwarding": A + ":drop"}})
    body = {"ietf-dots-data-channel:acl": [{"name": "bulk%d" % k,
        "type": A + ":ipv4-acl-type", "activation-type": "deactivate",
        "aces": {"ace": aces}}]}
    with open("%s/acl.%d.json" % (t, k), "w") as f:
        json.dump(body, f)
PY
LIST=$(for k in $(seq 0 $((NACL - 1))); do
	printf '%s{"acl-name":"bulk%d","activation-type":"immediate"}' \
	    "$([ "$k" = 0 ] || echo ,)" "$k"
done)

conf() {	# conf MITIGATOR [BLOCK]: lib.sh's conf has "log" already
	dc_conf "$(client_block client1 'prefix 192.0.2.0/24' \
	    "mitigator \"$1\"")
${2:-}"
}

# Peace time: register, then the ACLs, deactivated.
provision() {
	printf '{"ietf-dots-data-channel:dots-client":[{"cuid":"%s"}]}' \
	    "$CUID" >"$T/reg.json"
	dc_req PUT "dots-client=$CUID" "$T/reg.json"
	[ "$HTTP" = 201 ] || die "register: $HTTP $BODY"
	deactivate_all 201
}

deactivate_all() {	# deactivate_all STATUS
	local k
	for k in $(seq 0 $((NACL - 1))); do
		dc_req PUT "dots-client=$CUID/acls/acl=bulk$k" "$T/acl.$k.json"
		[ "$HTTP" = "$1" ] || die "PUT bulk$k: $HTTP $BODY"
	done
}

handed() {	# ACLs handed to the log mitigator since line $1 of its log
	tail -n +"$1" "$T/mitigator.log" 2>/dev/null |
	    grep -c ' apply {.*"acl":{.*"name":"bulk' || true
}

# run MID WAIT: one activation; WAIT is "log" or "flowspec".
run() {
	local mid=$1 t0 t1 t2 from
	from=$(($(wc -l <"$T/mitigator.log" 2>/dev/null || echo 0) + 1))
	json2cbor "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"192.0.2.0/24\"],\"target-protocol\":[17],\"ietf-dots-signal-control:acl-list\":[$LIST],\"lifetime\":3600}]}}" \
	    "$T/req.cbor"
	t0=$(now)
	put_cbor "mitigate/cuid=$CUID/mid=$mid" "$T/req.cbor" >/dev/null
	t1=$(now)
	[ "$CODE" = 2.01 ] || die "mid $mid: $CODE $BODY"
	if [ "$2" = log ]; then
		until [ "$(handed "$from")" -ge "$NACL" ]; do sleep 0.005; done
	else
		until [ "$(fwd_count)" -ge $((NACL * NACE + 1)) ]; do
			sleep 0.05
		done
	fi
	t2=$(now)
	echo $(((t1 - t0) / 1000)) >>"$T/resp.$2"
	echo $(((t2 - t0) / 1000)) >>"$T/done.$2"
	delete "$mid" >/dev/null
	deactivate_all 204
	if [ "$2" = flowspec ]; then
		until [ "$(fwd_count)" -eq 0 ]; do sleep 0.2; done
	else
		sleep 1
	fi
}

# The same request without acl-list, to tell the handshake and the
# request's own cost from the ACLs'.
baseline() {	# baseline MID
	local t0 t1
	json2cbor "{\"$MS\":{\"scope\":[{\"target-prefix\":[\"192.0.2.0/24\"],\"target-protocol\":[17],\"lifetime\":3600}]}}" \
	    "$T/plain.cbor"
	t0=$(now)
	put_cbor "mitigate/cuid=$CUID/mid=$1" "$T/plain.cbor" >/dev/null
	t1=$(now)
	[ "$CODE" = 2.01 ] || die "mid $1: $CODE $BODY"
	echo $(((t1 - t0) / 1000)) >>"$T/resp.plain"
	delete "$1" >/dev/null
}

log "== log mitigator"
conf log
start_dotsd
as_client client1
provision
for i in $(seq 1 "$RUNS"); do run "$i" log; done
# higher mids: a lower mid over the same targets would be a conflict
for i in $(seq 1 "$RUNS"); do baseline "$((1000 + i))"; done
stop_dotsd
rm -f "$T"/dotsd.db*

log "== flowspec mitigator"
conf fs "mitigator \"fs\" {
	type flowspec
	gobgp \"$GOBGP\"
	api-host $SPK_ADDR
	api-port $SPK_API_PORT
	reconcile-interval 600
	retry-interval 1
	max-rules 20000
	max-rules-per-client 20000
}"
start_dotsd
as_client client1
provision
for i in $(seq 1 "$RUNS"); do run "$i" flowspec; done
stop_dotsd

echo "1,000 ACEs ($NACL ACLs of $NACE) put in force by one acl-list:"
median_worst "without acl-list (handshake and request), to 2.01" \
    <"$T/resp.plain"
median_worst "log mitigator, request to 2.01" <"$T/resp.log"
median_worst "log mitigator, request to the last ACL handed over" \
    <"$T/done.log"
median_worst "flowspec, request to 2.01" <"$T/resp.flowspec"
median_worst "flowspec, request to 1,001 rules at the forwarding node" \
    <"$T/done.flowspec"
exit 0
