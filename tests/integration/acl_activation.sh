#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Filtering ACLs of the data channel put in force (RFC 8783 section 7.3,
# RFC 9133), seen in what the log mitigator is handed:
#
#   - an activate-when-mitigating ACL made in peace time (curl, the
#     second seed's Fig. 8) is not enforced; a mitigation request of its
#     client puts it in force, the end of the mitigation takes it out;
#   - an acl-list naming an ACE instead of its ACL gets 4.04 saying what
#     was meant; one naming an unknown ACL 4.04; in a preconfigured
#     request 4.00; nothing is applied for them;
#   - acl-list with activation-type immediate puts the ACL in force and
#     changes its activation-type for good (data-channel GET shows it),
#     so it stays in force after the mitigation ends;
#   - deactivate through the data channel takes it out;
#   - the loss of the client's signal channel puts an
#     activate-when-mitigating ACL in force.
#
#   acl_activation.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/datachan_lib.sh"
lib_init "$@"

ABT=1
dc_conf "heartbeat-interval 1 1 240
missing-hb-allowed 3 1 9
idle-heartbeat-interval 1 1 240
idle-missing-hb-allowed 3 1 9
$(client_block client1 'prefix 192.0.2.0/24')"
start_dotsd
B="$T/body.json"
ACL=DMS_Offload_scenario_ACL

in_force() { [ "$(acllog_count apply "$1")" -gt "$(acllog_count withdraw "$1")" ]; }
out_of_force() { ! in_force "$1"; }

as_client client1
printf '{"ietf-dots-data-channel:dots-client":[{"cuid":"%s"}]}' "$CUID" >"$B"
dc_req PUT "dots-client=$CUID" "$B"
expect_http 201 "register client1"

log "== peace time: an activate-when-mitigating ACL"
dc_req POST "dots-client=$CUID" "$OFFLOAD/offload-data-channel-acl-src-port.json"
expect_http 201 "POST the ACL of the offload draft's Fig. 8"
sleep 1
check "not in force without a mitigation" test "$(acllog_count apply $ACL)" -eq 0

log "== attack time: a mitigation request puts it in force"
put_json 1 "$(mit_json 192.0.2.2/32 3600)"
expect_code 2.01 "PUT mid 1"
check "the ACL in force" wait_until 3 in_force $ACL
check "handed over with its two ACEs" bash -c "grep ' apply ' '$T/mitigator.log' |
    grep -q '\"name\":\"DMS_Offload_scenario_ACL_NTP_amp\"'"
delete 1
expect_code 2.02 "DELETE mid 1"
check "out of force once the mitigation is gone" wait_until 5 out_of_force $ACL

log "== acl-list errors change nothing"
n0=$(acllog_count apply $ACL)
put_json 2 "$(mit_json 192.0.2.2/32 3600 '"ietf-dots-signal-control:acl-list":[{"acl-name":"DMS_Offload_scenario_ACL_DNS_amp","activation-type":"immediate"}]')"
expect_code 4.04 "acl-list naming an ACE"
expect_body_contains "an ACE of ACL 'DMS_Offload_scenario_ACL'" "the 4.04 says which ACL was meant"
put_json 2 "$(mit_json 192.0.2.2/32 3600 '"ietf-dots-signal-control:acl-list":[{"acl-name":"no-such-acl"}]')"
expect_code 4.04 "acl-list naming an unknown ACL"
put_json 2 "$(mit_json 192.0.2.2/32 3600 '"trigger-mitigation":false,"ietf-dots-signal-control:acl-list":[{"acl-name":"DMS_Offload_scenario_ACL"}]')"
expect_code 4.00 "acl-list in a preconfigured request"
get_mit 2
expect_code 4.04 "no mid 2 was made"
check "the ACL was not applied" test "$(acllog_count apply $ACL)" -eq "$n0"

log "== acl-list immediate: in force for good"
put_json 3 "$(mit_json 192.0.2.2/32 3600 '"ietf-dots-signal-control:acl-list":[{"acl-name":"DMS_Offload_scenario_ACL","activation-type":"immediate"}]')"
expect_code 2.01 "PUT mid 3 with acl-list immediate"
check "the ACL in force" wait_until 3 in_force $ACL
dc_req GET "dots-client=$CUID/acls/acl=$ACL?content=config"
expect_http 200 "GET the ACL"
check "its activation-type is now immediate" bash -c "grep -q '\"activation-type\": *\"immediate\"' <<<'$BODY'"
delete 3
expect_code 2.02 "DELETE mid 3"
sleep 3
check "still in force after the mitigation ended" in_force $ACL

log "== deactivate over the data channel"
python3 - "$OFFLOAD/offload-data-channel-acl-src-port.json" >"$B" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
acl = d["ietf-dots-data-channel:acls"]["acl"][0]
acl["activation-type"] = "deactivate"
print(json.dumps({"ietf-dots-data-channel:acl": [acl]}))
PY
dc_req PUT "dots-client=$CUID/acls/acl=$ACL" "$B"
expect_http 204 "PUT the ACL with activation-type deactivate"
check "out of force" wait_until 3 out_of_force $ACL

log "== signal loss"
losses() { grep -c "signal channel lost" "$T/dotsd.log"; }
n0=$(losses)
put_path_json hb '{"ietf-dots-signal-channel:heartbeat":{"peer-hb-status":true}}'
expect_code 2.04 "a heartbeat: the client is heard"
python3 - "$OFFLOAD/offload-data-channel-acl-src-port.json" >"$B" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
acl = d["ietf-dots-data-channel:acls"]["acl"][0]
acl["activation-type"] = "activate-when-mitigating"
print(json.dumps({"ietf-dots-data-channel:acl": [acl]}))
PY
dc_req PUT "dots-client=$CUID/acls/acl=$ACL" "$B"
expect_http 204 "PUT it back to activate-when-mitigating"
check "not in force while the client is heard" out_of_force $ACL
check "then silence: signal loss" wait_until 8 eval '[ "$(losses)" -gt "$n0" ]'
check "the ACL in force on the loss" wait_until 3 in_force $ACL
stop_dotsd
finish
