# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# What the shell benchmarks share: the clock, the statistics, and the
# forwarding node's flow rules (over tests/integration/flowspec_lib.sh,
# sourced first).  Sourced, never run.

now() { echo "${EPOCHREALTIME/./}"; }	# microseconds

percentile() {	# percentile P < values (one a line)
	sort -n | awk -v p="$1" '{ v[NR] = $1 } END {
	    i = int((NR * p + 99) / 100); if (i < 1) i = 1; print v[i] }'
}

median_worst() {	# median_worst LABEL < values (ms)
	sort -n | awk -v l="$1" '{ v[NR] = $1 } END {
	    printf "  %s: median %d ms, worst %d ms (%d runs)\n", l,
	    v[int((NR + 1) / 2)], v[NR], NR }'
}

# Flow rules at the forwarding node, and whether one matches PATTERN.
fwd_count() {
	"$GOBGP" -u "$FWD_ADDR" -p "$FWD_API_PORT" neighbor "$SPK_ADDR" \
	    adj-in -a ipv4-flowspec 2>/dev/null | grep -c 'destination' || true
}
fwd_has() {
	"$GOBGP" -u "$FWD_ADDR" -p "$FWD_API_PORT" neighbor "$SPK_ADDR" \
	    adj-in -a ipv4-flowspec 2>/dev/null | grep -q "$1"
}
