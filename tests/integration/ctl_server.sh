#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# dotsd's control socket, through dotsctl server and raw (docs/dotsctl.md,
# docs/control-protocol.md "dotsd's control socket"):
#
#   - its directory made at start, a stale socket (after SIGKILL)
#     replaced, a live one refused by a second dotsd, the file removed at
#     exit;
#   - mitigations made with coap-client shown by `mitigations` (table and
#     --json) with the status GET gives, --client, `clients`;
#   - errors: unknown command (its id echoed), bad JSON, unknown member,
#     a line over 65536 bytes (answered too-large, connection closed),
#     and dotsd serving on after each;
#   - a client that sends and never reads its answers: dotsd still
#     answers a mitigation request with 2.01, and dotsctl;
#   - approvals, approve and reject of the policy mitigator's manual
#     approval, and not-found for an id no mitigator holds;
#   - dotsctl's usage errors (exit 2, nothing sent) and no dotsd (exit 3).
#
#   ctl_server.sh DOTSD DOTS_CODEC DOTSCTL
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCTL"
DOTSCTL=$3
[ -x "$DOTSCTL" ] || die "$DOTSCTL: not an executable"
lib_init "$1" "$2"

dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24')
$(client_block client2 'prefix 198.51.100.0/24' 'mitigator "orch"')
mitigator \"scrub\" {
	type log
	file \"$T/mitigator.log\"
}
mitigator \"orch\" {
	type policy
	use \"scrub\"
	approval manual
}"
# a directory that does not exist yet
SOCK="$T/run/dotsd.sock"
sed -i "s|\"$T/dotsd.sock\"|\"$SOCK\"|" "$T/dotsd.conf.in"
start_dotsd
check "the socket's directory was made" test -S "$SOCK"
check "the socket is mode 0660" \
    test "$(stat -c %a "$SOCK")" = 660

OUT=
RC=

# srv ARGS...: dotsctl server on dotsd's socket; OUT (stdout), RC.
srv() {
	OUT=$("$DOTSCTL" server -s "$SOCK" "$@" 2>"$T/srv.err")
	RC=$?
	log "  dotsctl server $* -> $RC"
}

expect_rc() {
	if [ "$RC" = "$1" ]; then
		pass "${2:-dotsctl} exits $1"
	else
		fail "${2:-dotsctl}: want exit $1, got $RC: $OUT" \
		    "$(cat "$T/srv.err")"
	fi
}

# out_json PATH WANT: the value at PATH in OUT.
out_json() {
	local got
	got=$(json_query "$OUT" "$1")
	if [ "$got" = "$2" ]; then
		pass "$1 = $2"
	else
		fail "$1: want $2, got ${got:-<absent>} in $OUT"
	fi
}

# raw LINES...: send each line on one connection (shut for writing after
# them) and print every answer line until dotsd closes it.
raw() {
	python3 - "$SOCK" "$@" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall("".join(l + "\n" for l in sys.argv[2:]).encode())
s.shutdown(socket.SHUT_WR)
print(s.makefile(encoding="utf-8").read(), end="")
EOF
}

log "== mitigations made over the signal channel, as dotsd holds them"
as_client client1
put_json 1 "$(mit_json 192.0.2.0/24 3600 \
    '"target-port-range":[{"lower-port":53}],"target-protocol":[17]')"
expect_code 2.01 "PUT client1 mid 1"
get_mit 1
GOT_STATUS=$(json_field "$MS.scope.0.status")
srv mitigations
expect_rc 0 "mitigations"
check "the table has client1's mid 1 with the status GET gives" \
    grep -Eq "^[0-9]+ +client1 +1 +$GOT_STATUS +192.0.2.0/24 +53 +udp +" \
    <<<"$OUT"
srv --json mitigations
expect_rc 0 "--json mitigations"
out_json mitigations.0.client client1
out_json mitigations.0.mid 1
out_json mitigations.0.status "$GOT_STATUS"
out_json mitigations.0.cuid "${CUIDS[client1]}"
out_json mitigations.0.scope.target-prefix '["192.0.2.0/24"]'
out_json mitigations.0.scope.target-protocol '[17]'
out_json mitigations.0.mitigator log
out_json mitigations.0.applied true
out_json mitigations.0.lifetime 3600
check "lifetime-left is at most 3600" \
    test "$(json_query "$OUT" mitigations.0.lifetime-left)" -le 3600
ID1=$(json_query "$OUT" mitigations.0.id)

srv --json mitigations --client client2
expect_rc 0 "mitigations --client client2"
out_json mitigations '[]'
srv mitigations --client nobody
expect_rc 1 "mitigations --client nobody"
check "it says no such client" grep -q "not-found" "$T/srv.err"

log "== clients"
srv clients
expect_rc 0 "clients"
check "the table has client1 with its prefix and mitigator" \
    grep -Eq "^client1 +cn:client1 +(up|down) +1 +log +192.0.2.0/24" \
    <<<"$OUT"
check "the table has client2 with orch" \
    grep -Eq "^client2 +cn:client2 +(up|down) +0 +orch +198.51.100.0/24" \
    <<<"$OUT"
srv --json clients
out_json clients.0.name client1
out_json clients.0.mitigations 1
out_json clients.1.mitigator orch
OUT=$(DOTSCTL_SERVER_SOCKET="$SOCK" "$DOTSCTL" server clients 2>&1)
check "DOTSCTL_SERVER_SOCKET names the socket" grep -q "^client1" <<<"$OUT"

log "== protocol errors; dotsd serves on"
OUT=$(raw '{"id":7,"cmd":"frobnicate"}' 'not json' \
    '{"id":"x","cmd":"clients","verbose":true}' \
    '{"cmd":"approve"}' '{"cmd":"reject","mitigation":1}')
log "$OUT"
check "unknown command, with its id" \
    grep -q '^{"id":7,"ok":false,"error":{"code":"unknown-command"' \
    <<<"$OUT"
check "bad JSON" grep -q '"code":"bad-json"' <<<"$OUT"
check "unknown member named" \
    grep -q '"id":"x","ok":false,.*"code":"invalid".*"field":"verbose"' \
    <<<"$OUT"
check "approve without mitigation" \
    grep -q '"code":"invalid".*"field":"mitigation"' <<<"$OUT"
check "reject without why" grep -q '"field":"why"' <<<"$OUT"
check "five answers, in order" test "$(wc -l <<<"$OUT")" -eq 5
OUT=$(python3 - "$SOCK" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
try:
    s.sendall(b'{"cmd":"clients","x":"' + b"a" * 70000 + b'"}\n')
except OSError:
    pass
data = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    data += b
print(data.decode(), end="")
print("closed")
EOF
)
log "$OUT"
check "a line over 65536 bytes: too-large, then closed" \
    grep -q '"code":"too-large"' <<<"$OUT"
check "  and the connection closed" grep -q "^closed$" <<<"$OUT"
srv clients
expect_rc 0 "clients after the errors"

log "== a client that never reads does not stall dotsd"
python3 - "$SOCK" "$T/stuck.ready" <<'EOF' &
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.settimeout(3)
req = b'{"cmd":"mitigations"}\n' * 2000
try:
    for _ in range(100):
        s.sendall(req)
except socket.timeout:
    pass
open(sys.argv[2], "w").close()
time.sleep(3600)
EOF
BG_PIDS+=($!)
STUCK=$!
check "the stuck client is in place" wait_until 30 test -e "$T/stuck.ready"
# (it replaces mid 1, which it overlaps)
put_json 3 "$(mit_json 192.0.2.64/26 3600)"
expect_code 2.01 "PUT mid 3 while a client does not read"
srv --json mitigations --client client1
expect_rc 0 "mitigations while a client does not read"
check "mid 3 is listed" \
    python3 -c 'import json,sys; sys.exit(3 not in
[m["mid"] for m in json.loads(sys.argv[1])["mitigations"]])' "$OUT"
kill "$STUCK" 2>/dev/null
wait "$STUCK" 2>/dev/null

log "== approvals of the policy mitigator (approval manual)"
as_client client2
put_json 1 "$(mit_json 198.51.100.0/25 3600)"
expect_code 2.01 "PUT client2 mid 1 (held)"
put_json 2 "$(mit_json 198.51.100.128/25 3600)"
expect_code 2.01 "PUT client2 mid 2 (held)"
srv --json approvals
expect_rc 0 "approvals"
out_json approvals.0.client client2
out_json approvals.0.mitigator orch
A1=$(python3 -c 'import json,sys
for h in json.loads(sys.argv[1])["approvals"]:
    if h["mid"] == 1: print(h["mitigation"])' "$OUT")
A2=$(python3 -c 'import json,sys
for h in json.loads(sys.argv[1])["approvals"]:
    if h["mid"] == 2: print(h["mitigation"])' "$OUT")
check "both held mitigations are listed" test -n "$A1" -a -n "$A2"
srv approvals
check "the table shows them" grep -Eq "^$A1 +orch +client2 +1 " <<<"$OUT"
check "nothing reached the scrubber yet" \
    test "$(mitlog_count apply 1 client2)" -eq 0
srv approve "$A1"
expect_rc 0 "approve $A1"
check "it says approved" grep -q "approved" <<<"$OUT"
check "the scrubber got mid 1" \
    wait_until 5 test "$(mitlog_count apply 1 client2)" -eq 1
srv reject "$A2" --why "not an attack"
expect_rc 0 "reject $A2"
check "it says rejected" grep -q "rejected" <<<"$OUT"
srv --json mitigations --client client2
check "the rejected one fails with the reason" \
    python3 -c 'import json,sys
m = [m for m in json.loads(sys.argv[1])["mitigations"] if m["mid"] == 2]
sys.exit(not m or "not an attack" not in m[0].get("failure", ""))' "$OUT"
check "the scrubber never got mid 2" \
    test "$(mitlog_count apply 2 client2)" -eq 0
srv --json approvals
out_json approvals '[]'
srv approve "$A1"
expect_rc 1 "approve $A1 again"
check "not-found" grep -q "not-found" "$T/srv.err"
srv approve "$ID1"
expect_rc 1 "approve a mitigation no mitigator holds"

log "== usage errors send nothing; no dotsd"
for args in "" "bogus" "approve" "approve abc" "approve 0" "reject 5" \
    "mitigations extra" "clients --why x" "approvals --client c1" \
    "mitigations --mid 3"; do
	# shellcheck disable=SC2086
	srv $args
	expect_rc 2 "dotsctl server $args"
done
OUT=$("$DOTSCTL" server -s "$T/nothing.sock" clients 2>&1)
RC=$?
expect_rc 3 "no dotsd at the socket"

log "== a second dotsd does not take a live socket"
sed "s/@PORT@/$(free_udp_port)/; s|$T/dotsd.db|$T/other.db|" \
    "$T/dotsd.conf.in" >"$T/other.conf"
"$DOTSD" -d -f "$T/other.conf" >"$T/other.log" 2>&1
check "it exits with a failure" test $? -ne 0
check "  saying another daemon listens" \
    grep -q "another daemon listens" "$T/other.log"
srv clients
expect_rc 0 "the first dotsd still answers"

log "== a stale socket is replaced, the file removed at exit"
kill_dotsd
check "the socket file stays after SIGKILL" test -S "$SOCK"
start_dotsd
srv --json mitigations --client client1
expect_rc 0 "mitigations after the restart"
out_json mitigations.0.mid 3
stop_dotsd
check "the socket file is removed at exit" test ! -e "$SOCK"

finish
