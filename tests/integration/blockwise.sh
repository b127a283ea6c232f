#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Answers larger than a datagram: GET of every mitigation of a client that
# holds many comes back in Block2 blocks (RFC 7959), which coap-client
# reassembles; the whole body must decode and list every mitigation.

. "$(dirname "$0")/lib.sh"
lib_init "$@"

N=60	# ~45 bytes of status each: well over one 1152-byte block

dotsd_conf "$(client_block client1 'prefix 198.51.100.0/24' \
    'max-mitigations 100')"
start_dotsd
as_client client1

log "== $N mitigations of one client"
created=0
for i in $(seq 1 "$N"); do
	put_json "$i" "$(mit_json "198.51.100.$i/32" 3600)" >/dev/null
	[ "$CODE" = 2.01 ] && created=$((created + 1))
done
check "all $N requests created (got $created)" [ "$created" -eq "$N" ]

log "== GET all: one body in several blocks"
get_mit
expect_code 2.05 "GET all"
n=$(json_len "$MS.scope")
check "GET all lists $N scopes (got $n)" [ "$n" -eq "$N" ]
expect_json_field "$MS.scope.0.mid" "<present>"
check "the answer came in more than one block" \
    grep -q 'Block2' "$T/req.$REQ_SEQ.out"
finish
