#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# A crash (SIGKILL) and a restart on the same database: the mitigations
# come back with their mids, status, start times and the rest of their
# lifetimes, each handed to the mitigator again exactly once; one that
# expired while dotsd was down does not come back; the restored ones can be
# withdrawn as before; new ones get new ids.
#
#   restart_persistence.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
lib_init "$@"

ABT=2
dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24' \
    'prefix 2001:db8::/32')"
start_dotsd
as_client client1

log "== three mitigations, and one about to expire"
put_json 1 "$(mit_json 192.0.2.0/26 3600)"
expect_code 2.01 "PUT mid 1, lifetime 3600"
put_json 2 "$(mit_json 192.0.2.64/26 600 '"target-protocol":[17]')"
expect_code 2.01 "PUT mid 2, lifetime 600"
put_json 3 "$(mit_json 2001:db8:1::/48 -1)"
expect_code 2.01 "PUT mid 3, lifetime indefinite"
for mid in 1 2 3; do
	check "mid $mid is attack-successfully-mitigated" \
	    wait_until 5 status_is $mid attack-successfully-mitigated
done
get_mit
expect_code 2.05 "GET all before the crash"
declare -A start_before life_before
for mid in 1 2 3; do
	start_before[$mid]=$(json_field "$MS.scope.mid=$mid.mitigation-start")
	life_before[$mid]=$(json_field "$MS.scope.mid=$mid.lifetime")
done
put_path_json config/sid=1 "{\"$SC\":{\"mitigating-config\":{\"heartbeat-interval\":{\"current-value\":60}}}}"
expect_code 2.01 "PUT /config/sid=1"
put_json 4 "$(mit_json 192.0.2.200/32 6)"
expect_code 2.01 "PUT mid 4, lifetime 6"
check "mid 4 applied" wait_until 5 eval '[ "$(mitlog_count apply 4)" -eq 1 ]'
check "before the crash: 4 applies, no withdraw" \
    test "$(mitlog_count apply)" -eq 4 -a "$(mitlog_count withdraw)" -eq 0
ids_before=$(mitlog_lines apply | awk '{print $2}' | sort -n | tr '\n' ' ')

kill_dotsd
lines_before=$(wc -l <"$T/mitigator.log")
sleep 7		# mid 4 expires while dotsd is down, the others age
start_dotsd

log "== after the restart"
as_client client1
get_mit
expect_code 2.05 "GET all after the restart"
check "three mitigations" test "$(json_len "$MS.scope")" -eq 3
for mid in 1 2 3; do
	expect_json_field "$MS.scope.mid=$mid.status" \
	    attack-successfully-mitigated
	expect_json_field "$MS.scope.mid=$mid.mitigation-start" \
	    "${start_before[$mid]}"
done
expect_json_field "$MS.scope.mid=1.target-prefix" '["192.0.2.0/26"]'
expect_json_field "$MS.scope.mid=2.target-protocol" '[17]'
expect_json_field "$MS.scope.mid=3.target-prefix" '["2001:db8:1::/48"]'
for mid in 1 2; do
	left=$(json_field "$MS.scope.mid=$mid.lifetime")
	check "mid $mid: remaining lifetime $left < ${life_before[$mid]}" \
	    test "${left:-0}" -lt "${life_before[$mid]}" -a "${left:-0}" -gt 0
done
expect_json_field "$MS.scope.mid=3.lifetime" -1
get_mit 4
expect_code 4.04 "mid 4 expired while dotsd was down"

# What the mitigator was told after the restart: each of the three once.
after=$(tail -n +$((lines_before + 1)) "$T/mitigator.log")
log "  mitigator.log after the restart:"
printf '%s\n' "$after" | sed 's/^/    /'
for mid in 1 2 3; do
	n=$(printf '%s\n' "$after" | grep -c " apply .*\"mid\":$mid,")
	check "mid $mid re-applied exactly once ($n)" test "$n" -eq 1
done
# mid 4 must not be left in force.  dotsd may hand it over and take it
# back at once (a withdraw needs an apply first; that cleans up whatever a
# mitigator kept across the crash), or leave it alone.
n=$(printf '%s\n' "$after" | grep -c " apply .*\"mid\":4,")
w=$(printf '%s\n' "$after" | grep -c " withdraw .*\"mid\":4,")
check "expired mid 4 not left in force ($n apply, $w withdraw)" \
    test "$n" -eq "$w"
n=$(printf '%s\n' "$after" | grep -c " withdraw .*\"mid\":[123],")
check "nothing of mids 1-3 withdrawn ($n)" test "$n" -eq 0

get config/sid=1
expect_code 2.05 "GET /config/sid=1 after the restart"

log "== the restored mitigations work as before"
observe_start r 2 "mitigate/cuid=$CUID/mid=3"
check "restored mid 3 can be observed" \
    grep -q 'c:2.05 .*Observe:' "$T/obs.r.out"
observe_wait r
delete 2
expect_code 2.02 "DELETE restored mid 2"
get_mit 2
expect_code 2.05 "GET mid 2 during active-but-terminating"
expect_json_field "$MS.scope.0.status" dots-client-withdrawn-mitigation
check "mid 2 is gone after active-but-terminating" \
    wait_until $((ABT + 3)) eval 'get_mit 2 && [ "$CODE" = 4.04 ]'
check "mid 2 withdrawn from the mitigator" \
    test "$(mitlog_count withdraw 2)" -eq 1

put_json 1 "$(mit_json 192.0.2.0/26 1800)"
expect_code 2.04 "refresh of restored mid 1"
put_json 5 "$(mit_json 192.0.2.128/26 3600)"
expect_code 2.01 "PUT new mid 5"
id5=$(mitlog_lines apply 5 | awk '{print $2}')
check "mid 5 got a new id ($id5; before the crash: $ids_before)" \
    eval '[ -n "$id5" ] && ! printf " %s" "$ids_before" | grep -q " $id5 "'

log "== a clean stop and start keeps them too"
stop_dotsd
lines_before=$(wc -l <"$T/mitigator.log")
start_dotsd
get_mit
expect_code 2.05 "GET all after a clean restart"
check "mids 1, 3 and 5" test "$(json_len "$MS.scope")" -eq 3
expect_json_field "$MS.scope.mid=5.status" attack-successfully-mitigated
n=$(tail -n +$((lines_before + 1)) "$T/mitigator.log" | grep -c ' apply ')
check "three re-applied ($n)" test "$n" -eq 3

finish
