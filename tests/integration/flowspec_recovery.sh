#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The flowspec mitigator when things fail: the speaker is down when a
# request comes (the mitigation stays in progress, then its rule appears
# once the speaker is back), dotsd is killed with SIGKILL while rules are
# announced and someone adds and removes rules behind its back (on restart
# the speaker's RIB holds exactly the active mitigations' rules: no stale,
# none missing, no duplicate), and the periodic reconciliation repairs the
# RIB while dotsd runs.
#
#   flowspec_recovery.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/flowspec_lib.sh"
lib_init "$@"
gobgp_init

start_fwd
start_speaker
wait_established

ABT=1
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 2001:db8::/32' 'mitigator "fs"')
mitigator \"fs\" {
	type flowspec
	gobgp \"$GOBGP\"
	api-host $SPK_ADDR
	api-port $SPK_API_PORT
	reconcile-interval 2
	retry-interval 1
	timeout 5
}"
start_dotsd
as_client client1

R1="[destination: 192.0.2.2/32][protocol: ==udp][source-port: ==53] rate 0"
R2="[destination: 192.0.2.3/32][protocol: ==udp][source-port: ==123] rate 0"
R6="[destination: 2001:db8::3/128/0][protocol: ==udp][source-port: ==11211] rate 0"

put_json 1 "$(mit_json 192.0.2.2/32 3600 '"target-protocol":[17],
    "ietf-dots-call-home:source-port-range":[{"lower-port":53}]')"
expect_code 2.01 "PUT mid 1"
expect_fwd_rib ipv4-flowspec "$R1"

log "== the speaker is down when a request comes"
stop_speaker
put_json 2 "$(mit_json 192.0.2.3/32 3600 '"target-protocol":[17],
    "ietf-dots-call-home:source-port-range":[{"lower-port":123}]')"
expect_code 2.01 "PUT mid 2 (speaker down)"
sleep 2
check "mid 2 stays in progress while the speaker is down" \
    status_is 2 attack-mitigation-in-progress
start_speaker
wait_established
expect_fwd_rib ipv4-flowspec "$R1
$R2" 20
check "mid 2 is mitigated once the speaker is back" \
    wait_until 10 status_is 2 attack-successfully-mitigated

put_json 3 "$(mit_json 2001:db8::3/128 3600 '"target-protocol":[17],
    "ietf-dots-call-home:source-port-range":[{"lower-port":11211}]')"
expect_code 2.01 "PUT mid 3"
expect_fwd_rib ipv6-flowspec "$R6"

log "== dotsd killed; rules changed behind its back; restart"
kill_dotsd
spk global rib -a ipv4-flowspec add match destination 192.0.2.99/32 \
    then discard
spk global rib -a ipv4-flowspec del match destination 192.0.2.3/32 \
    protocol ==17 source-port ==123
expect_fwd_rib ipv4-flowspec "$R1
[destination: 192.0.2.99/32] rate 0"
start_dotsd
expect_fwd_rib ipv4-flowspec "$R1
$R2" 20
expect_fwd_rib ipv6-flowspec "$R6"
check "the speaker holds each rule once" test "$(spk global rib -a \
    ipv4-flowspec | grep -c destination)" -eq 2

log "== reconciliation while dotsd runs"
spk global rib -a ipv6-flowspec del match destination 2001:db8::3/128 \
    protocol ==17 source-port ==11211
spk global rib -a ipv6-flowspec add match destination 2001:db8::77/128 \
    then discard
expect_fwd_rib ipv6-flowspec "$R6" 20

log "== everything withdrawn"
for mid in 1 2 3; do
	delete "$mid"
	expect_code 2.02 "DELETE mid $mid"
done
expect_fwd_rib ipv4-flowspec ""
expect_fwd_rib ipv6-flowspec ""
finish
