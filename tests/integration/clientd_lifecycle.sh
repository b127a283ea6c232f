#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotscd against the real dotsd, through its control socket:
#
#   servers, argument errors naming the field, a scope libdots refuses,
#   a server's refusal (4.01 with its diagnostic), mitigate -> active
#   (2.01), list, watch sees a status change (efficacy update), withdraw;
#   a request made while dotsd is down stays pending (and survives a
#   restart of dotscd), then is delivered when dotsd starts; a restart of
#   dotsd: the session comes back, the mitigation is observed again and
#   still active; cancel; mids increase across restarts; SIGTERM.
#
#   clientd_lifecycle.sh DOTSD DOTS_CODEC DOTSCD
. "$(dirname "$0")/clientd_lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCD"
clientd_init "$@"

dotsd_conf "heartbeat-interval 2 1 60
missing-hb-allowed 3 1 9
idle-heartbeat-interval 2 1 60
idle-missing-hb-allowed 3 1 9
$(client_block client1 'prefix 192.0.2.0/24' 'prefix 198.51.100.0/24')"
start_dotsd
dotscd_conf "heartbeat-interval 2
	missing-hb-allowed 3"
start_dotscd

log "== session"
check "session up within 10 s" wait_until 10 server_up
expect_ans result.servers.0.name up "servers"
expect_ans result.servers.0.heartbeat-interval 2 "heartbeat asked for"

log "== arguments"
ctl 'not json'
expect_ans error.code bad-json "a line that is not JSON"
ctl '{"cmd":"nope"}'
expect_ans error.code unknown-command "an unknown command"
ctl '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/24"]},"colour":1}'
expect_ans error.field colour "an unknown member is named"
ctl '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/33"]}}'
expect_ans error.field scope.target-prefix.0 "a bad prefix is named"
ctl '{"cmd":"mitigate","scope":{"target-prefix":["192.0.2.0/24"],"lifetime":0}}'
expect_ans error.field scope.lifetime "lifetime 0 refused by libdots"
ctl '{"cmd":"mitigate","wait":"x","scope":{"target-prefix":["192.0.2.0/24"]}}'
expect_ans error.field wait "wait must be a number"
ctl '{"cmd":"mitigate","server":"nope","scope":{"target-prefix":["192.0.2.0/24"]}}'
expect_ans error.code not-found "an unknown server"
ctl '{"cmd":"withdraw"}'
expect_ans error.field mid "withdraw without mid"

log "== refused by the server"
ctl '{"id":"r1","cmd":"mitigate","scope":{"target-prefix":["203.0.113.0/24"]}}'
expect_ans id r1 "the id is echoed"
expect_ans error.code refused "outside the client's prefixes"
expect_ans error.server.code 4.01 "the server's code"
check "the server's diagnostic is shown" \
    bash -c "grep -q '203.0.113' <<<'$(ans error.server.diagnostic)'"

log "== mitigate, list, watch, efficacy, withdraw"
watch_start
ctl '{"id":1,"cmd":"mitigate","origin":"test","scope":{"target-prefix":["192.0.2.0/24"],"target-protocol":[6],"lifetime":3600}}'
expect_ans result.state active "mitigate -> active"
expect_ans result.server-code 2.01 "the server answered 2.01"
MID=$(ans result.mid)
ctl '{"cmd":"list"}'
expect_ans result.mitigations.0.mid "$MID" "list shows it"
expect_ans result.mitigations.0.origin test "with its origin"
check "watch: status event" wait_until 5 watch_has "\"mid\":$MID"
ctl "{\"cmd\":\"efficacy\",\"mid\":$MID,\"attack-status\":\"under-attack\"}"
expect_ans result.server-code 2.04 "efficacy update 2.04"
ctl "{\"cmd\":\"efficacy\",\"mid\":$MID,\"attack-status\":\"bad\"}"
expect_ans error.field attack-status "a bad attack-status"
ctl '{"cmd":"session"}'
expect_ans result.state up "session shows the server's config"
ctl "{\"cmd\":\"withdraw\",\"mid\":$MID}"
expect_ans result.state ended "withdraw -> ended"
check "watch: the end of mid $MID" wait_until 5 watch_has '"state":"ended"'

log "== pending while dotsd is down, delivered when it starts"
ctl '{"cmd":"mitigate","scope":{"target-prefix":["198.51.100.0/24"]}}'
expect_ans result.state active "a second mitigation, active"
M2=$(ans result.mid)
stop_dotsd
check "session down" wait_until 15 server_is down
ctl '{"cmd":"mitigate","wait":1,"origin":"while-down","scope":{"target-prefix":["192.0.2.0/25"]}}'
expect_ans result.state pending "accepted while down: pending"
M3=$(ans result.mid)
check "mids increase ($MID < $M2 < $M3)" test "$MID" -lt "$M2" -a "$M2" -lt "$M3"
stop_dotscd
start_dotscd
ctl "{\"cmd\":\"list\",\"mid\":$M3}"
expect_ans result.mitigations.0.state pending "still pending after a restart of dotscd"
start_dotsd
check "delivered once dotsd is back" wait_until 20 mit_is "$M3" active
ctl "{\"cmd\":\"list\",\"mid\":$M2}"
expect_ans result.mitigations.0.state active "mid $M2 still active"

log "== dotsd killed and restarted"
kill_dotsd
start_dotsd
check "session up again" wait_until 30 server_up
check "the mitigation is observed again (the library re-registered it)" \
    wait_until 15 grep -q "mid $M2 observed again" "$T/dotscd.log"
as_client client1
get_mit "$M2"
expect_code 2.05 "dotsd still has mid $M2"

log "== cancel"
ctl "{\"cmd\":\"cancel\",\"mid\":$M2}"
expect_ans error.code invalid "cancel of a delivered one"
stop_dotsd
ctl '{"cmd":"mitigate","wait":0,"scope":{"target-prefix":["192.0.2.128/25"]}}'
M4=$(ans result.mid)
ctl "{\"cmd\":\"cancel\",\"mid\":$M4}"
expect_ans result.state ended "cancel of a pending one"
ctl "{\"cmd\":\"list\",\"mid\":$M4}"
check "gone from list" test "$(ans result.mitigations)" = "[]"

stop_dotscd
check "no sanitizer report in dotscd.log" \
    bash -c "! grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' '$T/dotscd.log'"
finish
