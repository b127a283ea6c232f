#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Three roles on one machine (loopback), the offload draft end to end with
# an escalation (RFC 8903 section 3.3, DDoS orchestration):
#
#   DMS         dotscd with an `offload` block, fed the DMS's reports
#               (dotsctl dms report), as client1;
#   orchestrator dotsd whose policy mitigator sends the DMS's requests to
#               the flowspec mitigator (a GoBGP speaker announcing to a
#               forwarding node, a second gobgpd) and escalates to the
#               upstream provider through the "dots" mitigator and its
#               own dotscd, as client2;
#   upstream    the transit provider's dotsd (a log mitigator).
#
# 1. The DMS is at 95% with DNS and NTP reflection towards 192.0.2.2: its
#    dotscd offloads (signal channel with the reflectors, RFC 9066); the
#    orchestrator announces the flow rules: shown at the forwarding node.
# 2. The attack goes on: the DMS says so (efficacy update, under-attack);
#    the orchestrator escalates to the upstream provider, which gets the
#    request with the orchestrator's cdid.
# 3. The DMS is back at 10%: its dotscd withdraws; the orchestrator
#    withdraws the rules and the upstream request.
#
#   scripts/demo-orchestrator.sh BUILD_DIR
#
# ok/FAIL lines; exits 1 if a check failed, 77 if gobgpd is missing
# (scripts/deps.sh installs it).  Every daemon it started is stopped on
# exit, and its files removed (KEEP_TMP=1 keeps them).
set -uo pipefail
SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
B=$(cd "${1:?usage: demo-orchestrator.sh BUILD_DIR}" && pwd)
. "$SRC_DIR/tests/integration/orch_lib.sh"
orch_init "$B"

say() { printf '\n== %s\n' "$*"; }
show() { sed 's/^/    /'; }

say "the roles: forwarding node, upstream provider, orchestrator, DMS"
orch_start '	use "fs"
	escalate "up"'

say "1. the DMS at 95%, DNS and NTP reflection towards 192.0.2.2"
cat >"$T/high.json" <<'EOF'
{"utilization": {"percent": 95},
 "flows": [
  {"src": "203.0.113.2", "dst": "192.0.2.2", "src-port": 53,
   "protocol": "udp", "bps": 400000000},
  {"src": "203.0.113.3", "dst": "192.0.2.2", "src-port": 53,
   "protocol": "udp", "bps": 300000000},
  {"src": "198.51.100.7", "dst": "192.0.2.2", "src-port": 123,
   "protocol": "udp", "bps": 200000000}]}
EOF
dms dms report "$T/high.json" | show
check "the DMS's dotscd offloaded" wait_until 10 eval \
    'dms --json dms status | grep -q "\"state\": *\"offloaded\""'
dms dms status | show
RULES="[destination: 192.0.2.2/32][source: 198.51.100.7/32][protocol: ==udp][source-port: ==53 ==123] rate 0
[destination: 192.0.2.2/32][source: 203.0.113.2/32][protocol: ==udp][source-port: ==53 ==123] rate 0
[destination: 192.0.2.2/32][source: 203.0.113.3/32][protocol: ==udp][source-port: ==53 ==123] rate 0"
expect_fwd_rib ipv4-flowspec "$RULES"
echo "  the forwarding node's own view (gobgp neighbor ... adj-in):"
"$GOBGP" -u "$FWD_ADDR" -p "$FWD_API_PORT" neighbor "$SPK_ADDR" adj-in \
    -a ipv4-flowspec | show
echo "  the orchestrator's view (dotsctl server mitigations):"
orch mitigations | show

say "2. the attack goes on: the DMS says so, the orchestrator escalates"
MID=$(dms --json status | python3 -c 'import json, sys
d = json.load(sys.stdin)
print([m["mid"] for m in d["mitigations"] if m["state"] == "active"][0])')
dms efficacy "$MID" under-attack | show
check "the upstream provider got the request" wait_until 10 eval \
    '[ "$(count_lines "$T/upstream/mitigator.log" apply)" -ge 1 ]'
echo "  what the upstream provider's mitigator was handed:"
show <"$T/upstream/mitigator.log"
check "with the orchestrator's cdid for the DMS's domain" \
    test -n "$(store_cdids "$T/upstream/dotsd.db" | head -n 1)"
echo "  the orchestrator's DOTS client towards the upstream provider:"
"$DOTSCTL" -s "$T/orch-client/dotscd.sock" status | show

say "3. the DMS is back at 10%: everything is withdrawn"
echo '{"utilization": {"percent": 10}, "flows": []}' >"$T/low.json"
dms dms report "$T/low.json" | show
expect_fwd_rib ipv4-flowspec "" 20
check "the upstream request was withdrawn" wait_until 15 eval \
    '[ "$(count_lines "$T/upstream/mitigator.log" withdraw)" -ge 1 ]'
dms dms status | show
finish
