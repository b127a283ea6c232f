#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Session configuration (RFC 9132 section 4.5) and heartbeats (section
# 4.7): discovery of the accepted ranges, PUT with a sid (2.01, then 2.04),
# GET of the sid, a value out of range (4.22, nothing changes), DELETE;
# heartbeats, good and bad.
#
#   config_hb.sh DOTSD DOTS_CODEC
. "$(dirname "$0")/lib.sh"
lib_init "$@"

# Ranges of our own, so that the test sees the configuration file's values
# and not defaults that happen to agree.
dotsd_conf "heartbeat-interval 30 20 120
missing-hb-allowed 5 3 9
idle-heartbeat-interval 0 0 600
$(client_block client1 'prefix 192.0.2.0/24')"
start_dotsd
as_client client1
MC="$SC.mitigating-config"
IC="$SC.idle-config"

log "== GET /config: what the server accepts"
get config
expect_code 2.05 "GET /config"
check "GET /config carries Max-Age 3600 (got '$MAXAGE')" [ "$MAXAGE" = 3600 ]
expect_json_field "$MC.heartbeat-interval.current-value" 30
expect_json_field "$MC.heartbeat-interval.min-value" 20
expect_json_field "$MC.heartbeat-interval.max-value" 120
expect_json_field "$MC.missing-hb-allowed.min-value" 3
expect_json_field "$MC.missing-hb-allowed.max-value" 9
expect_json_field "$MC.ack-timeout.current-value-decimal" "2.00"
expect_json_field "$MC.ack-random-factor.min-value-decimal" "1.10"
expect_json_field "$IC.heartbeat-interval.max-value" 600

log "== PUT /config/sid=1"
cfg() {
	printf '{"%s":{"mitigating-config":{"heartbeat-interval":{"current-value":%s},"missing-hb-allowed":{"current-value":%s},"ack-timeout":{"current-value-decimal":"%s"}},"idle-config":{"heartbeat-interval":{"current-value":%s}}}}' \
	    "$SC" "$1" "$2" "$3" "$4"
}
put_path_json config/sid=1 "$(cfg 60 4 3.00 0)"
expect_code 2.01 "PUT /config/sid=1 (new sid)"
get config/sid=1
expect_code 2.05 "GET /config/sid=1"
expect_json_field "$MC.heartbeat-interval.current-value" 60
expect_json_field "$MC.missing-hb-allowed.current-value" 4
expect_json_field "$MC.ack-timeout.current-value-decimal" "3.00"
expect_json_field "$MC.max-retransmit.current-value" 3
expect_json_field "$IC.heartbeat-interval.current-value" 0

put_path_json config/sid=1 "$(cfg 90 5 2.50 300)"
expect_code 2.04 "PUT /config/sid=1 again (known sid)"
get config/sid=1
expect_code 2.05 "GET /config/sid=1"
expect_json_field "$MC.heartbeat-interval.current-value" 90
expect_json_field "$MC.missing-hb-allowed.current-value" 5
expect_json_field "$MC.ack-timeout.current-value-decimal" "2.50"
expect_json_field "$IC.heartbeat-interval.current-value" 300

log "== out of range: 4.22, nothing changes"
put_path_json config/sid=1 "$(cfg 1 5 2.50 300)"
expect_code 4.22 "heartbeat-interval 1 (min 20)"
expect_body_contains "heartbeat-interval"
put_path_json config/sid=1 "$(cfg 90 5 99.00 300)"
expect_code 4.22 "ack-timeout 99.00 (max 30.00)"
expect_body_contains "99.00 is outside the accepted range 1.00..30.00"
get config/sid=1
expect_code 2.05 "GET /config/sid=1"
expect_json_field "$MC.heartbeat-interval.current-value" 90
expect_json_field "$MC.ack-timeout.current-value-decimal" "2.50"

log "== a higher sid replaces the lower one"
put_path_json config/sid=2 "$(cfg 100 6 2.00 0)"
expect_code 2.01 "PUT /config/sid=2"
get config/sid=2
expect_code 2.05 "GET /config/sid=2"
expect_json_field "$MC.heartbeat-interval.current-value" 100
get config/sid=1
expect_code 4.04 "GET /config/sid=1 once sid 2 is there"

log "== bad requests"
put_path_json config "$(cfg 60 4 3.00 0)"
expect_code 4.00 "PUT /config without sid"
get config/sid=7
expect_code 4.04 "GET /config/sid=7 (unknown sid)"

log "== DELETE /config"
coap_req delete config
expect_code 2.02 "DELETE /config"
get config/sid=2
expect_code 4.04 "GET /config/sid=2 after DELETE"
get config
expect_code 2.05 "GET /config after DELETE"
expect_json_field "$MC.heartbeat-interval.current-value" 30

log "== heartbeats"
HB='{"ietf-dots-signal-channel:heartbeat":{"peer-hb-status":true}}'
put_path_json hb "$HB"
expect_code 2.04 "heartbeat"
check "no body in the heartbeat's 2.04" test -z "$BODY"
put_path_json hb '{"ietf-dots-signal-channel:heartbeat":{"peer-hb-status":false}}'
expect_code 2.04 "heartbeat with peer-hb-status false"

printf '\xa1\x18\x31\xa0' >"$T/hb-empty.cbor"	# heartbeat: {}
put_cbor hb "$T/hb-empty.cbor"
expect_code 4.00 "heartbeat without peer-hb-status"
expect_body_nonempty
put_path_json hb "$(mit_json 192.0.2.0/24 3600)"
expect_code 4.00 "a mitigation request sent to /hb"
expect_body_nonempty
printf '\xa1\x18\x31\xa1\x18\x33' >"$T/hb-cut.cbor"	# truncated
put_cbor hb "$T/hb-cut.cbor"
expect_code 4.00 "truncated CBOR to /hb"
expect_body_nonempty

finish
