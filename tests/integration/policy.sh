#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The policy mitigator picks, per mitigation, the mitigators that enforce
# it; here log mitigators stand for two transit providers and a scrubber,
# an exec mitigator that always fails for a broken one:
#
#   - multihoming: a /24 across two routes is cut in two, each transit
#     provider gets only its /25; the mitigation is mitigated once both
#     are; the withdrawal reaches both;
#   - fallback: the first mitigator of the chain fails (exit status 1),
#     the next one takes the mitigation, which is then mitigated;
#   - attack type: a request with source attributes (reflection) goes to
#     the reflection chain;
#   - every mitigator of a chain refusing: the request is refused with the
#     reasons;
#   - escalation: an efficacy update saying the attack goes on hands the
#     scope to the escalate chain too, once;
#   - manual approval: a new mitigation is held, nothing is applied, it is
#     in progress for its client;
#   - a policy that may relay (a "dots" mitigator in a chain): a request
#     with Hop-Limit 1 gets 5.08 (RFC 8768; libcoap 4.3.1 answers it
#     before dotsd, see docs/mitigators.md), without it it goes on;
#     a "dots" mitigator whose dotscd is not there does not stop dotsd;
#   - after an approval and a kill -9: the parts are handed over again
#     under the same ids, the approved mitigation is not held again, the
#     one never approved is;
#   - a policy naming an unknown mitigator: dotsd does not start, and says
#     which.
#
#   policy.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
lib_init "$@"

dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 198.51.100.0/24' 'prefix 203.0.113.0/24' 'mitigator "orch"')
mitigator \"transit-a\" {
	type log
	file \"$T/mitigator.log\"
}
mitigator \"transit-b\" {
	type log
	file \"$T/mitigator.log\"
}
mitigator \"scrubber\" {
	type log
	file \"$T/mitigator.log\"
}
mitigator \"broken\" {
	type exec
	command \"$(type -P false)\"
}
mitigator \"refuses\" {
	type exec
	command \"$(type -P true)\"
	capacity 1
}
mitigator \"orch\" {
	type policy
	use \"broken scrubber\"
	route \"192.0.2.0/25 transit-a\"
	route \"192.0.2.128/25 transit-b\"
	route \"203.0.113.0/24 refuses\"
	reflection \"transit-a scrubber\"
	escalate \"transit-b\"
}
mitigator \"up\" {
	type dots
	control-socket \"$T/no-dotscd.sock\"
	server up
}
mitigator \"gated\" {
	type policy
	use \"scrubber\"
	escalate \"up\"
	approval manual
}
$(client_block client2 'prefix 203.0.113.0/24' 'mitigator "gated"')"
start_dotsd
as_client client1

# got NAME ACTION: the targets mitigator NAME was handed, one line each
# apply or withdraw: "ACTION prefix,prefix".
got() {
	python3 - "$T/mitigator.log" "$1" "$2" <<'EOF'
import json, sys
path, name, action = sys.argv[1:4]
for line in open(path, encoding="utf-8"):
    parts = line.rstrip("\n").split(" ", 3)
    if len(parts) != 4 or parts[1] != name or parts[2] != action:
        continue
    scope = json.loads(parts[3]).get("scope", {})
    print(action, ",".join(scope.get("target-prefix", [])))
EOF
}

# ids NAME ACTION PREFIX: the ids under which mitigator NAME was handed
# PREFIX, one line each apply or withdraw.
ids() {
	python3 - "$T/mitigator.log" "$1" "$2" "$3" <<'EOF'
import json, sys
path, name, action, prefix = sys.argv[1:5]
for line in open(path, encoding="utf-8"):
    parts = line.rstrip("\n").split(" ", 3)
    if len(parts) != 4 or parts[1] != name or parts[2] != action:
        continue
    m = json.loads(parts[3])
    if prefix in m.get("scope", {}).get("target-prefix", []):
        print(m["id"])
EOF
}

# adm approve|reject ID: through dotsd's control socket; true if done.
adm() {
	python3 - "$T/dotsd.sock" "$1" "$2" <<'EOF'
import json, socket, sys
path, cmd, mid = sys.argv[1:4]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(path)
req = {"id": 1, "cmd": cmd, "mitigation": int(mid)}
if cmd == "reject":
    req["why"] = "test"
s.sendall((json.dumps(req) + "\n").encode())
buf = b""
while b"\n" not in buf:
    d = s.recv(65536)
    if not d:
        break
    buf += d
sys.exit(0 if json.loads(buf.split(b"\n")[0]).get("ok") else 1)
EOF
}

log "== multihoming: each transit provider gets only its own prefix"
put_json 1 "$(mit_json 192.0.2.0/24 3600 '"target-protocol":[17]')"
expect_code 2.01 "PUT mid 1 over both transit providers' prefixes"
check "transit-a got 192.0.2.0/25" wait_until 5 eval \
    '[ "$(got transit-a apply)" = "apply 192.0.2.0/25" ]'
check "transit-b got 192.0.2.128/25" wait_until 5 eval \
    '[ "$(got transit-b apply)" = "apply 192.0.2.128/25" ]'
check "the scrubber got nothing" test -z "$(got scrubber apply)"
check "mid 1 mitigated once both are" wait_until 5 status_is 1 \
    attack-successfully-mitigated

log "== fallback: the first of the chain fails, the next takes it"
put_json 2 "$(mit_json 198.51.100.0/24 3600)"
expect_code 2.01 "PUT mid 2 (the default chain: broken, scrubber)"
check "the scrubber got it after broken failed" wait_until 10 eval \
    '[ "$(got scrubber apply)" = "apply 198.51.100.0/24" ]'
check "mid 2 mitigated" wait_until 5 status_is 2 \
    attack-successfully-mitigated
check "the failure and the fallback are logged" grep -q \
    'mitigation [0-9]*: mitigator broken gave up part' "$T/dotsd.log"

log "== attack type: reflection goes to its own chain"
put_json 3 "$(mit_json 198.51.100.7/32 3600 '"ietf-dots-call-home:source-port-range":[{"lower-port":123}]')"
expect_code 2.01 "PUT mid 3 with a source port (reflection)"
check "transit-a got it, not the default chain" wait_until 5 eval \
    '[ "$(got transit-a apply | tail -n 1)" = "apply 198.51.100.7/32" ]'
check "the scrubber only has mid 2" test "$(got scrubber apply)" = \
    "apply 198.51.100.0/24"

log "== withdrawn: every part"
delete 1
expect_code 2.02 "DELETE mid 1"
check "transit-a withdrew its part" wait_until 5 eval \
    '[ "$(got transit-a withdraw)" = "withdraw 192.0.2.0/25" ]'
check "transit-b withdrew its part" wait_until 5 eval \
    '[ "$(got transit-b withdraw)" = "withdraw 192.0.2.128/25" ]'

log "== every mitigator of the chain refuses"
put_json 4 "$(mit_json 203.0.113.1/32 3600)"
expect_code 2.01 "PUT mid 4: the one mitigator of its route takes it"
put_json 5 "$(mit_json 203.0.113.2/32 3600)"
expect_code 5.03 "PUT mid 5: the route's mitigator is at capacity"
expect_body_contains "refuses" "the 5.03 names the mitigator"
get_mit 5
expect_code 4.04 "no mid 5 was made"

log "== escalation: still under attack, the escalate chain too"
put_json 6 "$(mit_json 198.51.100.9/32 3600)"
expect_code 2.01 "PUT mid 6 (default chain)"
check "mid 6 mitigated" wait_until 10 status_is 6 \
    attack-successfully-mitigated
n0=$(got transit-b apply | grep -c 198.51.100.9/32)
put_json 6 "$(mit_json 198.51.100.9/32 3600 \
    '"attack-status":"under-attack"')" -O 1,
expect_code 2.04 "efficacy update of mid 6: under attack"
check "transit-b got the whole scope" wait_until 5 eval \
    '[ "$(got transit-b apply | grep -c 198.51.100.9/32)" -eq $((n0 + 1)) ]'
put_json 6 "$(mit_json 198.51.100.9/32 3600 \
    '"attack-status":"under-attack"')" -O 1,
expect_code 2.04 "a second efficacy update"
sleep 1
check "escalated once only" test \
    "$(got transit-b apply | grep -c 198.51.100.9/32)" -eq $((n0 + 1))
delete 6
expect_code 2.02 "DELETE mid 6"
check "the escalation is withdrawn with it" wait_until 5 eval \
    '[ "$(got transit-b withdraw | grep -c 198.51.100.9/32)" -eq 1 ]'

log "== manual approval: held"
as_client client2
n0=$(got scrubber apply | wc -l)
put_json 1 "$(mit_json 203.0.113.5/32 3600)"
expect_code 2.01 "PUT mid 1 of client2: accepted, held"
check "the approval is asked for in the log" wait_until 5 grep -q \
    "mitigation [0-9]* of client client2 (mid 1) awaits an administrator" \
    "$T/dotsd.log"
sleep 1
check "nothing applied while held" test "$(got scrubber apply | wc -l)" \
    -eq "$n0"
check "in progress for the client" status_is 1 \
    attack-mitigation-in-progress
delete 1
expect_code 2.02 "DELETE the held mitigation"

log "== a policy that may relay (it escalates upstream): Hop-Limit 1 is 5.08"
put_json 2 "$(mit_json 203.0.113.6/32 3600)" -O 16,0x01
expect_code 5.08 "Hop-Limit 1 to a policy with a relaying mitigator"
get_mit 2
expect_code 4.04 "nothing was made"
put_json 3 "$(mit_json 203.0.113.6/32 3600)"
expect_code 2.01 "the same without Hop-Limit (held)"

log "== approved, then a restart: re-applied under the same ids, not held"
put_json 4 "$(mit_json 203.0.113.7/32 3600)"
expect_code 2.01 "PUT mid 4 of client2 (held)"
check "held" wait_until 5 grep -q "client client2 (mid 4) awaits" \
    "$T/dotsd.log"
ID4=$(sed -n 's/.*mitigation \([0-9]*\) of client client2 (mid 4) awaits.*/\1/p' \
    "$T/dotsd.log" | head -n 1)
check "approved through the control socket" adm approve "$ID4"
check "the scrubber got it once approved" wait_until 5 eval \
    '[ "$(ids scrubber apply 203.0.113.7/32 | wc -l)" -eq 1 ]'
check "mid 4 mitigated" wait_until 5 status_is 4 \
    attack-successfully-mitigated
kill_dotsd
start_dotsd
check "mid 4 applied again, under the same id" wait_until 10 eval \
    '[ "$(ids scrubber apply 203.0.113.7/32 | sort -u | wc -l)$(ids scrubber apply 203.0.113.7/32 | wc -l)" = 12 ]'
check "mid 4 not held again" test "$(grep -c "client client2 (mid 4) awaits" \
    "$T/dotsd.log")" -eq 1
check "mid 3, never approved, held again" wait_until 5 eval \
    '[ "$(grep -c "client client2 (mid 3) awaits" "$T/dotsd.log")" -eq 2 ]'
check "and still not applied" test -z "$(ids scrubber apply 203.0.113.6/32)"
check "client1's reflection part applied again under the same id" \
    wait_until 10 eval '[ "$(ids transit-a apply 198.51.100.7/32 |
    sort -u | wc -l)$(ids transit-a apply 198.51.100.7/32 | wc -l)" = 12 ]'
stop_dotsd

log "== a policy naming an unknown mitigator"
sed -i 's/use "broken scrubber"/use "broken nosuch"/' "$T/dotsd.conf.in"
sed "s/@PORT@/$DOTSD_PORT/" "$T/dotsd.conf.in" >"$T/bad.conf"
if "$DOTSD" -n -f "$T/bad.conf" >"$T/bad.out" 2>&1; then
	fail "dotsd -n passed an unknown mitigator in a policy"
else
	check "dotsd -n says which" grep -q 'no mitigator "nosuch"' \
	    "$T/bad.out"
fi
if "$DOTSD" -d -f "$T/bad.conf" >"$T/bad.out" 2>&1; then
	fail "dotsd started with an unknown mitigator in a policy"
else
	check "it says which" grep -q 'no mitigator "nosuch"' "$T/bad.out"
fi
finish
