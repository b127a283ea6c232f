#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The CoAP Hop-Limit option (RFC 8768) at a DOTS gateway:
#
#   a request with Hop-Limit 1 gets 5.08 (Hop Limit Reached) with the
#   server's identifier as its diagnostic, and nothing is made; 0 gets
#   4.00, a two-byte value no 2.01; Hop-Limit 2 is relayed with 1, which
#   the next server refuses (5.08): the request ends, the reason says
#   so.  Then a loop
#   of two gateways, A relaying to B and B to A (initial Hop-Limit 4): a
#   request to A ends (attack-mitigation-terminated), the loop stops, the
#   mitigation that reached the limit failed with a reason naming the
#   5.08, and no more mitigations were made in all than the hop limit.
#
#   gateway_hoplimit.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/gateway_lib.sh"
gw_init "$@"

# A is lib.sh's dotsd; its dotscd "cda" (as client2) talks to B, whose
# dotscd "cdb" (as rogue, a certificate that is only a name here) talks
# to A.  Both mitigators start relayed requests at Hop-Limit 4.
extra_dotsd B "$(dots_mitigator cdb 'hop-limit 4')
$(client_block client2 'prefix 192.0.2.0/24' 'gateway yes' 'mitigator up')"
extra_dotscd cda client2 "${XPORT[B]}"
dotsd_conf "gateway-id gwA
$(dots_mitigator cda 'hop-limit 4')
$(client_block client1 'prefix 192.0.2.0/24' 'mitigator up')
$(client_block rogue 'prefix 192.0.2.0/24' 'gateway yes' 'mitigator up')"
start_dotsd
extra_dotscd cdb rogue "$DOTSD_PORT"

# mits_made DBFILE: mitigations a dotsd ever made (its store never gives
# an id twice: the largest id so far).
mits_made() {
	python3 -c 'import sqlite3, sys
r = sqlite3.connect(sys.argv[1]).execute(
    "SELECT seq FROM sqlite_sequence WHERE name = ?", ("mitigations",))
print((r.fetchone() or [0])[0])' "$1"
}

log "== Hop-Limit 1, 0, and in two bytes"
# libcoap answers these before dotsd sees them (sig_mitigate.c)
as_client client1
put_json 1 "$(mit_json 192.0.2.0/24 3600)" -O 16,0x01
expect_code 5.08 "Hop-Limit 1"
check "the diagnostic names this server, without spaces ($BODY)" \
    test -n "$BODY" -a "$BODY" = "${BODY// /}"
get_mit 1
expect_code 4.04 "nothing was made"
check "nothing relayed" test "$(live_mits cda)" = 0
put_json 2 "$(mit_json 192.0.2.0/24 3600)" -O 16,0x00
expect_code 4.00 "Hop-Limit 0"
put_json 2 "$(mit_json 192.0.2.0/24 3600)" -O 16,0x0010
check "Hop-Limit in two bytes: no 2.01 ($CODE)" test "$CODE" != 2.01
get_mit 2
expect_code 4.04 "nothing was made"
check "still nothing relayed" test "$(live_mits cda)" = 0

log "== Hop-Limit 2: relayed with 1, refused by the next server"
put_json 4 "$(mit_json 192.0.2.0/24 3600)" -O 16,0x02
expect_code 2.01 "Hop-Limit 2 at A"
check "A's request ends within 15 s" \
    wait_until 15 status_is 4 attack-mitigation-terminated
check "A says why: B answered 5.08" grep -q \
    'failed: upstream up: 5.08 Hop Limit Reached' \
    "$T/dotsd.log"
ctl_at cda '{"cmd":"list","all":true}'
check "A's dotscd: refused, 5.08" test "$(ans result.mitigations.0.error.code)" = 5.08
check "nothing made at B" test "$(mits_made "$T/B/dotsd.db")" = 0
# answered after the commit, so seen twice by libcoap (sig_defer.c)
coap_req delete "mitigate/cuid=$CUID/mid=4" -O 16,0x02
expect_code 2.02 "DELETE with Hop-Limit 2"

log "== a loop of two gateways"
as_client client1
before=$(mits_made "$T/dotsd.db")
put_json 5 "$(mit_json 192.0.2.0/24 3600)"
expect_code 2.01 "PUT at A"
check "the request at A ends within 30 s" \
    wait_until 30 status_is 5 attack-mitigation-terminated
check "the last relay was refused with 5.08 (B's log)" grep -q \
    'the mitigator failed: upstream up: 5.08 Hop Limit Reached' \
    "$T/B/dotsd.log"
sleep 2
held=$(($(mits_made "$T/dotsd.db") - before + $(mits_made "$T/B/dotsd.db")))
check "mitigations made in all: $held, at most the hop limit (4)" \
    test "$held" -le 4 -a "$held" -ge 3
sleep 3
held2=$(($(mits_made "$T/dotsd.db") - before + $(mits_made "$T/B/dotsd.db")))
check "the loop stopped: still $held2 = $held" test "$held2" -eq "$held"

extra_dotsd_stop cda
extra_dotsd_stop cdb
extra_dotsd_stop B
gw_finish
