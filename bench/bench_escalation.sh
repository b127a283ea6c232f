#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Escalation latency, the three roles of tests/integration/orch_lib.sh on
# loopback: a DMS report over 80% handed to the DMS's dotscd (dotsctl dms
# report) until
#
#   1. flowspec: the flow rule is in the forwarding node's Adj-RIB-In
#      (the orchestrator's policy: use "fs");
#   2. upstream: the upstream provider's dotsd has accepted the relayed
#      request, seen as its log mitigator's apply line, written in the
#      loop turn whose commit releases the 2.01 (the orchestrator's
#      policy: use "up": dotsd -> its dotscd -> the upstream's dotsd).
#
# The DMS's session with the orchestrator is up before the first run,
# and one run before the counted ones warms the path up (after the
# orchestrator's restart the DMS's DTLS session is stale, and its first
# request waits for a new one).  Each run then reports 10% and waits
# until everything is withdrawn.  N
# runs each (default 30); p50 and p99 printed, never asserted.
#
#   bench/bench_escalation.sh BUILD_DIR [N]
set -uo pipefail
B=$(cd "${1:?usage: $0 BUILD_DIR [N]}" && pwd)
RUNS=${2:-30}
D=$(cd "$(dirname "$0")/.." && pwd)
. "$D/tests/integration/orch_lib.sh"
. "$D/bench/bench_lib.sh"
orch_init "$B"

# report PERCENT DST: a DMS report, reflection towards DST.
report() {
	printf '{"utilization":{"percent":%s},"flows":[%s]}\n' "$1" \
	    "$([ "$1" -lt 50 ] || printf '{"src":"203.0.113.2","dst":"%s","src-port":53,"protocol":"udp","bps":4e8},{"src":"203.0.113.3","dst":"%s","src-port":123,"protocol":"udp","bps":3e8}' "$2" "$2")" \
	    >"$T/report.json"
	dms dms report "$T/report.json" >/dev/null ||
	    die "dotsctl dms report failed"
}

up_lines() {	# up_lines ACTION: the upstream's log mitigator lines
	count_lines "$T/upstream/mitigator.log" "$1"
}

# one_run KIND I: one offload and its withdrawal; the latency to $T/lat.KIND.
one_run() {
	local dst="192.0.2.$(($2 % 200 + 1))" t0 t1 n0
	n0=$(up_lines apply)
	t0=$(now)
	report 95 "$dst"
	if [ "$1" = flowspec ]; then
		until fwd_has "destination: $dst/32"; do :; done
	else
		until [ "$(up_lines apply)" -gt "$n0" ]; do sleep 0.002; done
	fi
	t1=$(now)
	echo $(((t1 - t0) / 1000)) >>"$T/lat.$1"
	n0=$(up_lines withdraw)
	report 10 "$dst"
	if [ "$1" = flowspec ]; then
		while fwd_has "destination: $dst/32"; do sleep 0.05; done
	else
		until [ "$(up_lines withdraw)" -gt "$n0" ]; do sleep 0.05; done
	fi
}

# The DMS's session with the orchestrator is up (after a start or restart
# of either, it reconnects within reconnect-max): not part of a latency.
dms_up() {
	wait_until 10 eval 'dms --json servers |
	    grep -q "\"state\": *\"up\""' || die "the DMS's session is not up"
}

summary() {	# summary KIND LABEL
	echo "$2: $(wc -l <"$T/lat.$1") runs, p50 $(percentile 50 <"$T/lat.$1") ms, p99 $(percentile 99 <"$T/lat.$1") ms"
}

orch_start '	use "fs"
	escalate "up"'
dms_up
log "== DMS report to flow rule at the forwarding node, $RUNS runs"
one_run flowspec 0; rm -f "$T/lat.flowspec"	# warm-up, not counted
for i in $(seq 1 "$RUNS"); do one_run flowspec "$i"; done
stop_dotsd

log "== DMS report to the upstream provider's acceptance, $RUNS runs"
sed -i 's/^\tuse "fs"$/\tuse "up"/' "$T/dotsd.conf.in"
rm -f "$T"/dotsd.db*
start_dotsd
dms_up
one_run upstream 100; rm -f "$T/lat.upstream"	# warm-up, not counted
for i in $(seq 1 "$RUNS"); do one_run upstream "$((i + 100))"; done
stop_dotsd

summary flowspec "DMS report -> flow rule at the forwarding node"
summary upstream "DMS report -> upstream provider's dotsd accepted it"
exit 0
