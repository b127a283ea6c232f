#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Heartbeats from dotsd (RFC 9132 section 4.7): NON PUTs of
# /.well-known/dots/hb with a CBOR heartbeat body, every heartbeat-interval
# of the client's current set (idle-config, or mitigating-config while the
# client has mitigations, or what the client negotiated), over DTLS and TLS,
# to certificate and PSK clients.  peer-hb-status is true while the client
# sent a heartbeat within two intervals; a client heartbeat with
# peer-hb-status false brings one at once.  A client that answers nothing
# gets missing-hb-allowed heartbeats, then none until it is heard again.
#
# coap-client cannot show requests that come to it: hb_listener (built
# from hb_listener.c) opens the session, prints each heartbeat and answers
# it.
#
#   server_hb.sh DOTSD DOTS_CODEC HB_LISTENER
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC HB_LISTENER"
HB_LISTENER=$3
[ -x "$HB_LISTENER" ] || die "$HB_LISTENER: not an executable"
lib_init "$1" "$2"

HB_TRUE=a11831a11833f5		# {"...:heartbeat":{"peer-hb-status":true}}
HB_FALSE=a11831a11833f4
LAB_KEY=lab-secret-0123456789

# listen NAME SECONDS [hb_listener options...]: run hb_listener as the
# current client (certificate or PSK) for SECONDS; its output is
# $T/hb.NAME.out.
listen() {
	local name=$1 secs=$2 tls=()
	shift 2
	[ "$SCHEME" = coaps ] || tls=(-t)
	client_creds
	"$HB_LISTENER" "${tls[@]+"${tls[@]}"}" -s "$secs" "${CREDS[@]}" \
	    "$@" 127.0.0.1 "$DOTSD_PORT" >"$T/hb.$name.out" \
	    2>"$T/hb.$name.err"
	log "  [$CLIENT${SCHEME#coaps}] hb_listener $name:" \
	    "$(grep -c '^hb ' "$T/hb.$name.out") heartbeats in $secs s," \
	    "$(head -n 1 "$T/hb.$name.out")"
	sed 's/^/    /' "$T/hb.$name.out"
}

# hb_count NAME [FROM [TO]]: heartbeats received between FROM and TO s.
hb_count() {
	awk -v from="${2:-0}" -v to="${3:-1e9}" \
	    '$1 == "hb" && $2 >= from && $2 < to { n++ } END { print n + 0 }' \
	    "$T/hb.$1.out"
}

# hb_field NAME N FIELD: field FIELD (3 type, 4 Content-Format, 5 body)
# of the Nth heartbeat (1-based; -1 the last).
hb_field() {
	awk -v n="$2" -v f="$3" '$1 == "hb" { l[++c] = $f }
	    END { print (n < 0 ? l[c] : l[n]) }' "$T/hb.$1.out"
}

# in_range VALUE MIN MAX
in_range() {
	[ "$1" -ge "$2" ] && [ "$1" -le "$3" ]
}

TRANSPORT=both
dotsd_conf "heartbeat-interval 2 1 240
missing-hb-allowed 3 1 9
idle-heartbeat-interval 1 1 240
idle-missing-hb-allowed 3 1 9
$(client_block client1 'prefix 192.0.2.0/24')
$(client_block client2 'prefix 198.51.100.0/24')
client \"lab\" {
	identity \"psk:lab-client\"; psk-key \"$LAB_KEY\"
	prefix 203.0.113.0/24; max-rate 1000
}"
start_dotsd

log "== client1, idle (idle-heartbeat-interval 1), DTLS"
as_client client1
SCHEME=coaps
listen idle 5.5
check "the listener's own heartbeat got 2.04" \
    grep -qx 'response 2.04' "$T/hb.idle.out"
n=$(hb_count idle)
check "4 to 6 heartbeats in 5.5 s, one a second (got $n)" in_range "$n" 4 6
check "heartbeats are NON" test "$(hb_field idle 1 3)" = NON
check "with Content-Format 271" test "$(hb_field idle 1 4)" = 271
check "the first says peer-hb-status true (a client heartbeat 1 s ago)" \
    test "$(hb_field idle 1 5)" = "$HB_TRUE"
check "the last says peer-hb-status false (none for 2 intervals)" \
    test "$(hb_field idle -1 5)" = "$HB_FALSE"
check "dotsd.log: no unanswered heartbeat" \
    bash -c "! grep -q 'heartbeats unanswered' '$T/dotsd.log'"

log "== client1 over TLS"
SCHEME=coaps+tcp
listen tls 3.5
n=$(hb_count tls)
check "2 to 4 heartbeats in 3.5 s over TLS (got $n)" in_range "$n" 2 4
check "over TCP" test "$(hb_field tls 1 3)" = TCP
check "the same body" test "$(hb_field tls 1 5)" = "$HB_TRUE"

log "== client2, mitigating (heartbeat-interval 2)"
as_client client2
SCHEME=coaps
put_json 1 "$(mit_json 198.51.100.0/24 3600)"
expect_code 2.01 "PUT mid 1 of client2"
listen mitigating 6.5
n=$(hb_count mitigating)
check "2 to 4 heartbeats in 6.5 s, one every 2 s (got $n)" \
    in_range "$n" 2 4
delete 1
expect_code 2.02 "DELETE mid 1 of client2"

log "== lab (PSK), negotiated idle-heartbeat-interval 60"
as_psk_client lab lab-client "$LAB_KEY"
put_path_json config/sid=1 \
    "{\"$SC\":{\"idle-config\":{\"heartbeat-interval\":{\"current-value\":60}}}}"
expect_code 2.01 "PUT /config/sid=1 (idle heartbeat-interval 60)"
listen negotiated 3
check "no heartbeat within 3 s" test "$(hb_count negotiated)" -eq 0
listen false 3 -f
n=$(hb_count false)
check "peer-hb-status false: one heartbeat at once (got $n)" \
    test "$n" -eq 1
check "within 1.5 s" test "$(hb_count false 0 1.5)" -eq 1
check "saying peer-hb-status true (the client's came just before)" \
    test "$(hb_field false 1 5)" = "$HB_TRUE"

log "== client1 answers nothing (idle-missing-hb-allowed 3)"
as_client client1
SCHEME=coaps
listen silent 10.5 -n -w 7
# 3, or 4 if the listener's first heartbeat came in the second after the
# handshake (and so answered dotsd's first)
n=$(hb_count silent 0 7)
check "3 or 4 heartbeats, then none (got $n before 7 s)" in_range "$n" 3 4
check "none from 5.5 s until the client is heard at 7 s" \
    test "$(hb_count silent 5.5 7)" -eq 0
check "dotsd logs the session taken as lost" \
    grep -q 'client client1: 3 heartbeats unanswered, session taken as lost' \
    "$T/dotsd.log"
n=$(hb_count silent 7)
check "heartbeats again once the client is heard (got $n)" \
    in_range "$n" 1 4

finish
