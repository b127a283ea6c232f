#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Mitigation offload from a DMS (docs/offload.md): DMS reports above the
# threshold make dotscd send the request the offload draft's matrix
# picks to the real dotsd, and what its log mitigator got is checked; a
# report below the lower threshold withdraws it.
#
#   in-band, non-reflection	mitigation with destination and ports
#   in-band, few reflectors	mitigation with RFC 9066 source-prefix
#   in-band, restart		a request made before dotscd restarted is
#				the offload's again: a low report withdraws it
#   in-band, report-file	the same, read from a file
#   out-of-band			data-channel ACL (dotsctl dc), in force
#				at dotsd, then deleted
#
#   clientd_offload.sh DOTSD DOTS_CODEC DOTSCD DOTSCTL
. "$(dirname "$0")/clientd_lib.sh"
. "$(dirname "$0")/datachan_lib.sh"
[ $# -eq 4 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCD DOTSCTL"
DOTSCTL=$4
[ -x "$DOTSCTL" ] || die "$DOTSCTL: not an executable"
clientd_init "$1" "$2" "$3"

dc_conf "$(client_block client1 'prefix 192.0.2.0/24')"
start_dotsd

# offload_conf LINK [LINES]: dotscd with an offload block.
offload_conf() {
	dotscd_conf "" "offload \"dms1\" {
	server up
	link $1
	start-percent 80
	stop-percent 50
	hold 0
	dotsctl \"$DOTSCTL\"
	${2:-}
}"
}

# scope_of_apply MID: the scope the log mitigator applied for MID.
scope_of_apply() {
	python3 - "$T/mitigator.log" "$1" <<'EOF'
import json, sys
last = None
for line in open(sys.argv[1], encoding="utf-8"):
    parts = line.rstrip("\n").split(" ", 3)
    if len(parts) == 4 and parts[2] == "apply":
        m = json.loads(parts[3])
        if str(m.get("mid")) == sys.argv[2]:
            last = m["scope"]
print(json.dumps(last, sort_keys=True))
EOF
}

# report JSON: dms-report, on one line as the protocol wants.
report() {
	ctl "$(python3 -c 'import json, sys
print(json.dumps({"cmd": "dms-report", "report": json.loads(sys.argv[1])}))' \
	    "$1")"
}

applied() {
	[ "$(mitlog_count apply "$1")" -ge 1 ]
}

withdrawn() {
	[ "$(mitlog_count withdraw "$1")" -ge 1 ]
}

LOW='{"utilization":{"percent":10},"flows":[]}'

log "== in-band"
offload_conf in-band
start_dotscd
check "session up within 10 s" wait_until 10 server_up

ctl '{"cmd":"dms-report"}'
expect_ans error.field report "dms-report without report"
report '{"utilization":{"percent":99},"flows":[{"dst":"192.0.2.2","protocol":1,"dst-port":80}]}'
expect_ans error.code invalid "a port on ICMP is refused"
check "the refusal names the flow" \
    bash -c "grep -q 'flows\[0\]' <<<'$(ans error.message)'"
report '{"utilization":{"percent":70},"flows":[{"dst":"192.0.2.2","protocol":6,"dst-port":80}]}'
expect_ans result.decision none "below start-percent: nothing"

log "-- non-reflection: destination, port, protocol"
report '{"utilization":{"used":9,"capacity":10},"flows":[
 {"src":"198.51.100.7","dst":"192.0.2.2","src-port":50123,"dst-port":80,"protocol":"tcp","bps":9e8},
 {"src":"198.51.100.8","dst":"192.0.2.2","src-port":50124,"dst-port":443,"protocol":"tcp","bps":8e8}]}'
expect_ans result.decision start "90% starts the offload"
expect_ans result.branch signal-dst "non-reflection: signal channel, dst"
ctl '{"cmd":"dms-status"}'
MID=$(ans result.mid)
expect_ans result.state offloaded "dms-status: offloaded"
check "a mid was requested ($MID)" test -n "$MID"
check "dotsd applied it" wait_until 10 applied "$MID"
SC=$(scope_of_apply "$MID")
log "  applied: $SC"
check "target 192.0.2.2/32" grep -q '"192.0.2.2/32"' <<<"$SC"
check "ports 80 and 443" grep -q '"lower-port": 443' <<<"$SC"
check "protocol 6" grep -q '"target-protocol": \[6\]' <<<"$SC"
check "no source-prefix" bash -c "! grep -q source-prefix <<<'$SC'"

report "$LOW"
expect_ans result.decision stop "below stop-percent (hold 0): stop"
check "dotsd withdrew it" wait_until 10 withdrawn "$MID"

log "-- reflection, few reflectors: source-prefix (RFC 9066)"
report '{"utilization":{"percent":95},"flows":[
 {"src":"203.0.113.2","dst":"192.0.2.3","src-port":53,"dst-port":40000,"protocol":"udp","bps":5e8},
 {"src":"203.0.113.3","dst":"192.0.2.3","src-port":123,"dst-port":40001,"protocol":"udp","bps":4e8},
 {"src":"203.0.113.4","dst":"192.0.2.3","src-port":53,"dst-port":40002,"protocol":"udp","bps":3e8}]}'
expect_ans result.branch signal-source-prefix "few reflectors"
ctl '{"cmd":"dms-status"}'
MID2=$(ans result.mid)
expect_ans result.reflection true "dms-status: reflection"
check "a new mid ($MID2 after $MID)" test "$MID2" -gt "$MID"
check "dotsd applied it" wait_until 10 applied "$MID2"
SC=$(scope_of_apply "$MID2")
log "  applied: $SC"
check "source-prefix of the 3 reflectors" python3 -c '
import json, sys
s = json.loads(sys.argv[1])
assert sorted(s["ietf-dots-call-home:source-prefix"]) == [
    "203.0.113.2/32", "203.0.113.3/32", "203.0.113.4/32"], s
assert [p["lower-port"] for p in
        s["ietf-dots-call-home:source-port-range"]] == [53, 123], s
assert s["target-protocol"] == [17], s
assert "target-port-range" not in s, s' "$SC"

log "-- many reflectors: source ports only"
FLOWS=$(python3 -c '
import json
print(json.dumps({"utilization": {"percent": 96}, "flows": [
    {"src": "10.0.%d.%d" % (i // 250, i % 250 + 1), "dst": "192.0.2.3",
     "src-port": 53, "dst-port": 1024 + i, "protocol": 17, "bps": 1000}
    for i in range(40)]}))')
report "$FLOWS"
expect_ans result.decision update "still above: an update"
expect_ans result.branch signal-source-port "40 reflectors > 16"
ctl '{"cmd":"dms-status"}'
MID4=$(ans result.mid)
check "a new scope is a new mid ($MID4 after $MID2, RFC 9132 4.4.1)" \
    test "$MID4" -gt "$MID2"
check "dotsd applied it" wait_until 10 applied "$MID4"
check "and the old mid was withdrawn" wait_until 10 withdrawn "$MID2"
SC=$(scope_of_apply "$MID4")
log "  applied: $SC"
check "source ports, no source-prefix" python3 -c '
import json, sys
s = json.loads(sys.argv[1])
assert "ietf-dots-call-home:source-prefix" not in s, s
assert s["ietf-dots-call-home:source-port-range"] == [{"lower-port": 53}], s
' "$SC"
ctl '{"cmd":"dms-status"}'
check "dms-status keeps the decisions" python3 -c '
import json, sys
d = json.loads(sys.argv[1])["result"]["decisions"]
b = [x["branch"] for x in d]
assert b == ["signal-dst", "signal-dst", "signal-source-prefix",
             "signal-source-port"], b' "$ANS"
report "$LOW"
check "dotsd withdrew it" wait_until 10 withdrawn "$MID4"
stop_dotscd

log "== a restart while offloaded: the request is the offload's again"
offload_conf in-band
start_dotscd
check "session up within 10 s" wait_until 10 server_up
report '{"utilization":{"percent":90},"flows":[{"dst":"192.0.2.5","dst-port":443,"protocol":"tcp"}]}'
ctl '{"cmd":"dms-status"}'
MIDR=$(ans result.mid)
check "offloaded (mid $MIDR)" wait_until 10 applied "$MIDR"
stop_dotscd
start_dotscd
check "session up again" wait_until 10 server_up
check "the restart takes the request back" grep -q \
    "mid $MIDR of server up, made before dotscd restarted" "$T/dotscd.log"
ctl '{"cmd":"dms-status"}'
expect_ans result.state offloaded "offloaded after the restart"
expect_ans result.mid "$MIDR" "with the same mid"
report "$LOW"
check "a low report withdraws it" wait_until 10 withdrawn "$MIDR"
stop_dotscd

log "== in-band, report-file"
offload_conf in-band "report-file \"$T/report.json\"
	report-interval 1"
start_dotscd
check "session up within 10 s" wait_until 10 server_up
cat >"$T/report.json.tmp" <<'EOF'
{"utilization": {"percent": 90},
 "flows": [{"dst": "192.0.2.4", "dst-port": 80, "protocol": 6}]}
EOF
mv "$T/report.json.tmp" "$T/report.json"
file_mid() {
	ctl '{"cmd":"dms-status"}'
	MID3=$(ans result.mid 2>/dev/null)
	[ -n "$MID3" ] && [ "$MID3" != None ]
}
check "the file's report offloads" wait_until 10 file_mid
check "dotsd applied it" wait_until 10 applied "$MID3"
echo "$LOW" >"$T/report.json.tmp"
mv "$T/report.json.tmp" "$T/report.json"
check "a low report in the file withdraws" wait_until 10 withdrawn "$MID3"
stop_dotscd

log "== out-of-band: data channel"
offload_conf out-of-band "data-channel-url \"https://127.0.0.1:$DC_PORT\""
start_dotscd
check "session up within 10 s" wait_until 10 server_up
# through dotsctl this time, from a file and from standard input
cat >"$T/oob.json" <<'EOF'
{"utilization": {"percent": 92}, "flows": [
 {"src": "203.0.113.2", "dst": "192.0.2.2", "src-port": 53,
  "dst-port": 40000, "protocol": 17, "bps": 5e8},
 {"src": "203.0.113.3", "dst": "192.0.2.2", "src-port": 53,
  "dst-port": 40001, "protocol": 17, "bps": 5e8}]}
EOF
echo '{"utilization": {"percent": 92}, "flows": [{"dst": 1}]}' |
    "$DOTSCTL" -s "$T/dotscd.sock" dms report - >"$T/dms.out" 2>&1
RC=$?
check "dotsctl dms report: a bad report exits 2 (got $RC)" test "$RC" -eq 2
check "and says which flow" grep -q 'flows\[0\]' "$T/dms.out"
"$DOTSCTL" -s "$T/dotscd.sock" --json dms report "$T/oob.json" \
    >"$T/dms.out" 2>&1
RC=$?
check "dotsctl dms report FILE exits 0 (got $RC)" test "$RC" -eq 0
ANS="{\"result\": $(cat "$T/dms.out")}"
expect_ans result.branch data-channel-acl "out-of-band: data channel"
acl_in_force() {
	[ "$(acllog_count apply dms-offload-ipv4)" -ge 1 ]
}
check "dotsd put the ACL in force" wait_until 20 acl_in_force
check "the ACL carries the 5-tuples" python3 -c '
import json, sys
for line in open(sys.argv[1]):
    p = line.split(" ", 3)
    if p[2] == "apply" and "acl" in json.loads(p[3]):
        acl = json.loads(p[3])["acl"]
aces = acl["aces"]["ace"]
assert len(aces) == 2, acl
m = aces[1]["matches"]
assert m["ipv4"]["source-ipv4-network"] == "203.0.113.3/32", m
assert m["ipv4"]["destination-ipv4-network"] == "192.0.2.2/32", m
assert m["udp"]["destination-port-range-or-operator"]["port"] == 40001, m
' "$T/mitigator.log"
"$DOTSCTL" -s "$T/dotscd.sock" dms status >"$T/dms.out" 2>&1
check "dotsctl dms status names the ACL" grep -q '^acls .*dms-offload-ipv4' \
    "$T/dms.out"
report "$LOW"
acl_out() {
	[ "$(acllog_count withdraw dms-offload-ipv4)" -ge 1 ]
}
check "the ACL is deleted, out of force" wait_until 20 acl_out
as_client client1
dc_req GET "dots-client=$CUID/acls/acl=dms-offload-ipv4"
expect_http 404 "the ACL is gone from the data channel"
stop_dotscd

if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' "$T/dotscd.log"
then
	fail "dotscd.log has a sanitizer report"
fi
finish
