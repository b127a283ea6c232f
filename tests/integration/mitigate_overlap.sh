#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Overlapping mitigation requests (RFC 9132 section 4.4.1): of one client,
# a lower mid that overlaps a higher one is refused with 4.09 and
# conflict-information; a higher mid replaces the lower one.  Another
# client's overlapping request is accepted (our policy) and told about the
# conflict.
#
#   mitigate_overlap.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
lib_init "$@"

dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24')
$(client_block client2 'prefix 192.0.2.0/25')"
start_dotsd
as_client client1

log "== client1: mid 5, then a lower overlapping mid 3"
put_json 5 "$(mit_json 192.0.2.0/25 3600)"
expect_code 2.01 "PUT mid 5"
put_json 3 "$(mit_json 192.0.2.64/26 3600)"
expect_code 4.09 "PUT mid 3 overlapping mid 5"
expect_json_field "$MS.scope.0.conflict-information.conflict-cause" \
    overlapping-targets
expect_json_field "$MS.scope.0.conflict-information.conflict-scope.mid" 5
expect_json_field \
    "$MS.scope.0.conflict-information.conflict-scope.target-prefix" \
    '["192.0.2.0/25"]'
get_mit 3
expect_code 4.04 "mid 3 was not created"
get_mit
check "GET all: only mid 5" \
    test "$(json_len "$MS.scope")" -eq 1
expect_json_field "$MS.scope.0.mid" 5

log "== client1: a lower mid that does not overlap is fine"
put_json 4 "$(mit_json 192.0.2.200/32 3600)"
expect_code 2.01 "PUT mid 4, no overlap"

log "== client1: a higher overlapping mid 7 replaces mid 5"
put_json 7 "$(mit_json 192.0.2.0/24 3600)"
expect_code 2.01 "PUT mid 7 overlapping mid 5 (and mid 4)"
expect_json_field "$MS.scope.0.mid" 7
expect_json_field "$MS.scope.0.conflict-information" "<absent>"
get_mit 5
expect_code 4.04 "mid 5 is gone"
get_mit 4
expect_code 4.04 "mid 4 is gone"
get_mit
expect_code 2.05 "GET all"
check "GET all: only mid 7" \
    test "$(json_len "$MS.scope")" -eq 1
expect_json_field "$MS.scope.0.mid" 7
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.0/24"]'
expect_applied_then_withdrawn 5 client1
expect_applied_then_withdrawn 4 client1
check "mid 7 not withdrawn" \
    test "$(mitlog_count withdraw 7)" -eq 0

log "== client2 overlaps client1's mid 7: accepted, with conflict-information"
as_client client2
put_json 1 "$(mit_json 192.0.2.0/26 3600)"
expect_code 2.01 "client2 PUT mid 1 overlapping client1's mid 7"
expect_json_field "$MS.scope.0.mid" 1
expect_json_field "$MS.scope.0.conflict-information.conflict-status" \
    request-active
expect_json_field "$MS.scope.0.conflict-information.conflict-cause" \
    overlapping-targets
get_mit 1
expect_code 2.05 "client2's mid 1"
get_mit
check "client2 sees only its own" \
    test "$(json_len "$MS.scope")" -eq 1
as_client client1
get_mit 7
expect_code 2.05 "client1's mid 7 is still there"
expect_json_field "$MS.scope.0.target-prefix" '["192.0.2.0/24"]'
get_mit
check "client1 sees only its own" \
    test "$(json_len "$MS.scope")" -eq 1
check "client2's mid 1 applied" \
    test "$(mitlog_count apply 1 client2)" -eq 1

finish
