# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Shared code of the dotscd tests (clientd_*.sh), over lib.sh: a dotscd
# configured for the dotsd that lib.sh starts, and its control socket
# driven with python3.  Sourced, never run.
#
#	dotscd_conf [TEXT]	write $T/dotscd.conf (TEXT: more keywords)
#	start_dotscd / stop_dotscd
#	ctl JSON		one request, its answer in $ANS
#	ans FIELD		a field of $ANS by dotted path
#	watch_start / watch_has PATTERN
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOTSCD=
DOTSCD_PID=
ANS=
SERVER_ADDR=127.0.0.1

clientd_init() {
	DOTSCD=$3
	[ -x "$DOTSCD" ] || die "$DOTSCD: not an executable"
	lib_init "$1" "$2"
}

# dotscd_conf [SERVER_LINES] [TOP_LINES]
dotscd_conf() {
	cat >"$T/dotscd.conf.in" <<EOF2
database "$T/dotscd.db"
control-socket "$T/dotscd.sock"
log-level debug
reconnect-min 1
reconnect-max 4
${2:-}
server "up" {
	address $SERVER_ADDR
	port @PORT@
	server-name localhost
	ca-file "$T/certs/ca.pem"
	cert-file "$T/certs/client1.pem"
	key-file "$T/certs/client1-key.pem"
	${1:-}
}
EOF2
}

# start_dotscd [PREFIX...]: PREFIX (e.g. ip netns exec NS) runs it.
start_dotscd() {
	local i
	sed "s/@PORT@/$DOTSD_PORT/" "$T/dotscd.conf.in" >"$T/dotscd.conf"
	"$@" "$DOTSCD" -d -f "$T/dotscd.conf" >>"$T/dotscd.log" 2>&1 &
	DOTSCD_PID=$!
	BG_PIDS+=("$DOTSCD_PID")
	for i in $(seq 1 50); do
		[ -S "$T/dotscd.sock" ] && return 0
		kill -0 "$DOTSCD_PID" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$T/dotscd.log" >&2
	die "dotscd did not start"
}

stop_dotscd() {
	local rc i
	[ -n "$DOTSCD_PID" ] || return 0
	kill -TERM "$DOTSCD_PID"
	for i in $(seq 1 50); do
		kill -0 "$DOTSCD_PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$DOTSCD_PID"
	rc=$?
	DOTSCD_PID=
	check "dotscd exits with status 0 on SIGTERM (got $rc)" test "$rc" -eq 0
	rm -f "$T/dotscd.sock"
}

# ctl JSON: send one request, wait for its answer (in ANS).
ctl() {
	ANS=$(python3 - "$T/dotscd.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(30)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
buf = b""
while b"\n" not in buf:
    d = s.recv(65536)
    if not d:
        break
    buf += d
print(buf.split(b"\n")[0].decode())
PY
)
	printf '  > %s\n  < %s\n' "$1" "$ANS" >>"$T/ctl.log"
}

# ans PATH: a field of ANS ("result.state", "error.field").
ans() {
	python3 - "$ANS" "$1" <<'PY'
import json, sys
v = json.loads(sys.argv[1])
for p in sys.argv[2].split("."):
    if isinstance(v, list):
        v = v[int(p)]
    else:
        v = v[p]
print(v if isinstance(v, str) else json.dumps(v))
PY
}

expect_ans() {
	local got
	got=$(ans "$1" 2>/dev/null)
	check "$3 ($1 = '$got', want '$2')" test "$got" = "$2"
}

# watch_start: a `watch` connection in the background, lines in
# $T/watch.out.
watch_start() {
	python3 -u - "$T/dotscd.sock" >"$T/watch.out" 2>&1 <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b'{"cmd":"watch"}\n')
f = s.makefile()
for line in f:
    print(line, end="")
PY
	BG_PIDS+=($!)
	wait_until 5 grep -q watching "$T/watch.out"
}

watch_has() {
	grep -q -- "$1" "$T/watch.out"
}

server_up() {
	server_is up
}

server_is() {
	ctl '{"cmd":"servers"}'
	[ "$(ans result.servers.0.state 2>/dev/null)" = "$1" ]
}

# mit_is MID STATE
mit_is() {
	ctl "{\"cmd\":\"list\",\"mid\":$1}"
	[ "$(ans result.mitigations.0.state 2>/dev/null)" = "$2" ]
}
