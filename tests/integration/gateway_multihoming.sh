#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# A multihomed enterprise (RFC 8903 section 3.1): its orchestrator, a
# gateway dotsd, has two transit providers, each running its own dotsd
# and each carrying one half of 192.0.2.0/24 (and authorizing the
# orchestrator for that half only).  The orchestrator's policy routes each
# half to the provider that carries it, through one dotscd with a server
# block per provider ("dots" mitigators "transit-a" and "transit-b").
#
#   - a request for the whole /24 (coap-client, as client1) reaches
#     transit A as 192.0.2.0/25 and transit B as 192.0.2.128/25, nothing
#     else; neither refuses it (each was asked only for what it carries);
#     the client sees it mitigated once both are;
#   - a request for one host goes to its provider alone;
#   - withdrawals reach both;
#   - transit B down at request time: the mitigation stays in progress,
#     A's half is enforced; B back: B gets its half, mitigated.
#
#   gateway_multihoming.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/gateway_lib.sh"
gw_init "$@"

extra_dotsd transit-a "$(client_block client2 'prefix 192.0.2.0/25' \
    'gateway yes' 'mitigator "log"')"
extra_dotsd transit-b "$(client_block client2 'prefix 192.0.2.128/25' \
    'gateway yes' 'mitigator "log"')"

# one dotscd, a server block per provider
mkdir -p "$T/orch"
server_block() {	# server_block NAME PORT
	cat <<EOF
server "$1" {
	address 127.0.0.1
	port $2
	server-name localhost
	transport dtls
	ca-file "$T/certs/ca.pem"
	cert-file "$T/certs/client2.pem"
	key-file "$T/certs/client2-key.pem"
}
EOF
}
cat >"$T/orch/dotscd.conf" <<EOF
database "$T/orch/dotscd.db"
control-socket "$T/orch/dotscd.sock"
log-level debug
reconnect-min 1
reconnect-max 2
$(server_block transit-a "${XPORT[transit-a]}")
$(server_block transit-b "${XPORT[transit-b]}")
EOF
"$DOTSCD" -d -f "$T/orch/dotscd.conf" >>"$T/orch/dotscd.log" 2>&1 &
BG_PIDS+=("$!")
wait_until 5 test -S "$T/orch/dotscd.sock" || die "dotscd did not start"

dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' 'mitigator "orch"')
mitigator \"transit-a\" {
	type dots
	control-socket \"$T/orch/dotscd.sock\"
	server transit-a
}
mitigator \"transit-b\" {
	type dots
	control-socket \"$T/orch/dotscd.sock\"
	server transit-b
}
mitigator \"orch\" {
	type policy
	use \"log\"
	route \"192.0.2.0/25 transit-a\"
	route \"192.0.2.128/25 transit-b\"
}"
start_dotsd
as_client client1

# got NAME ACTION: the target prefixes provider NAME's mitigator was
# handed, one line each apply or withdraw.
got() {
	python3 - "$T/$1/mitigator.log" "$2" <<'EOF'
import json, os, sys
path, action = sys.argv[1:3]
if os.path.exists(path):
    for line in open(path, encoding="utf-8"):
        parts = line.rstrip("\n").split(" ", 3)
        if len(parts) == 4 and parts[2] == action:
            scope = json.loads(parts[3]).get("scope", {})
            print(",".join(scope.get("target-prefix", [])))
EOF
}

log "== the whole /24: each provider its half"
put_json 1 "$(mit_json 192.0.2.0/24 3600 '"target-protocol":[17]')"
expect_code 2.01 "PUT mid 1 for 192.0.2.0/24"
check "transit A got 192.0.2.0/25" wait_until 10 eval \
    '[ "$(got transit-a apply)" = 192.0.2.0/25 ]'
check "transit B got 192.0.2.128/25" wait_until 10 eval \
    '[ "$(got transit-b apply)" = 192.0.2.128/25 ]'
check "mid 1 mitigated once both are" wait_until 10 status_is 1 \
    attack-successfully-mitigated
# states_at: the states of the orchestrator's dotscd mitigations, by server
states_at() {
	ctl_at orch '{"cmd":"list"}'
	python3 -c 'import json, sys
v = json.loads(sys.argv[1])
print(" ".join(sorted("%s:%s" % (m["server"], m["state"])
                      for m in v["result"]["mitigations"])))' "$ANS"
}
check "both providers accepted their half (none refused)" test \
    "$(states_at)" = "transit-a:active transit-b:active"
check "the orchestrator's own log mitigator got nothing" \
    test "$(count_lines "$T/mitigator.log" apply)" -eq 0

log "== one host: its provider alone"
put_json 2 "$(mit_json 192.0.2.200/32 3600)"
expect_code 2.01 "PUT mid 2 for 192.0.2.200/32"
check "transit B got it" wait_until 10 eval \
    '[ "$(got transit-b apply | tail -n 1)" = 192.0.2.200/32 ]'
check "transit A did not" test "$(got transit-a apply)" = 192.0.2.0/25

log "== withdrawn: both halves"
delete 1
expect_code 2.02 "DELETE mid 1"
check "transit A withdrew its half" wait_until 10 eval \
    '[ "$(got transit-a withdraw)" = 192.0.2.0/25 ]'
check "transit B withdrew its half" wait_until 10 eval \
    '[ "$(got transit-b withdraw)" = 192.0.2.128/25 ]'

log "== transit B down at request time"
extra_dotsd_stop transit-b
put_json 3 "$(mit_json 192.0.2.0/24 3600 '"target-protocol":[6]')"
expect_code 2.01 "PUT mid 3 for 192.0.2.0/24"
check "transit A got its half" wait_until 10 eval \
    '[ "$(got transit-a apply | tail -n 1)" = 192.0.2.0/25 ]'
sleep 2
check "in progress while B is away" status_is 3 \
    attack-mitigation-in-progress
extra_dotsd transit-b
check "B back: it gets its half" wait_until 20 eval \
    '[ "$(got transit-b apply | grep -c "^192.0.2.128/25$")" -ge 2 ]'
check "mid 3 mitigated" wait_until 10 status_is 3 \
    attack-successfully-mitigated
stop_dotsd
finish
