# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Shared code of the gateway tests (gateway_*.sh), over lib.sh: more
# daemons beside the dotsd that lib.sh starts (the one coap-client talks
# to).  Each extra daemon NAME lives in $T/NAME/ (its configuration,
# database, log, control socket, the log mitigator's file), so that the
# EXIT trap of lib.sh removes everything; their pids join BG_PIDS, so
# that the trap kills them too.  Sourced, never run.
#
#	gw_init DOTSD DOTS_CODEC DOTSCD
#	extra_dotsd NAME CONF_LINES	start another dotsd ($PORT_NAME)
#	extra_dotsd_stop NAME / extra_dotsd_kill NAME
#	extra_dotscd NAME CLIENT SERVER_PORT	a dotscd with one
#			server "up", as CLIENT (certificate); socket
#			$T/NAME/dotscd.sock
#	ctl_at NAME JSON		one request to NAME's dotscd; in ANS
#	ans FIELD			a field of ANS
#	dots_mitigator NAME		a mitigator block "up" of type dots
#			driving NAME's dotscd
#	count_lines FILE ACTION		apply/withdraw lines of a log
#			mitigator's file
#	gw_finish			finish, after checking every daemon's
#			log for sanitizer reports
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DOTSCD=
ANS=
declare -A XPID=()
declare -A XPORT=()

gw_init() {
	[ $# -eq 3 ] || die "usage: $0 DOTSD DOTS_CODEC DOTSCD"
	DOTSCD=$3
	[ -x "$DOTSCD" ] || die "$DOTSCD: not an executable"
	lib_init "$1" "$2"
}

# extra_dotsd NAME CONF_LINES: a dotsd on its own port (kept across
# restarts), with a log mitigator "log" writing $T/NAME/mitigator.log.
extra_dotsd() {
	local name=$1 dir="$T/$1" i from=1
	mkdir -p "$dir"
	[ -n "${XPORT[$name]:-}" ] || XPORT[$name]=$(free_udp_port)
	if [ -n "${2+x}" ]; then
		cat >"$dir/dotsd.conf" <<EOF
listen 127.0.0.1 ${XPORT[$name]}
transport dtls
ca-file "$T/certs/ca.pem"
cert-file "$T/certs/server.pem"
key-file "$T/certs/server-key.pem"
database "$dir/dotsd.db"
control-socket "$dir/dotsd.sock"
log-level debug
gateway-id $name
active-but-terminating ${ABT:-2}
mitigator "log" {
	type log
	file "$dir/mitigator.log"
}
$2
EOF
	fi
	[ ! -f "$dir/dotsd.log" ] || from=$(($(wc -l <"$dir/dotsd.log") + 1))
	"$DOTSD" -d -f "$dir/dotsd.conf" >>"$dir/dotsd.log" 2>&1 &
	XPID[$name]=$!
	BG_PIDS+=("$!")
	for i in $(seq 1 100); do
		tail -n +"$from" "$dir/dotsd.log" | grep -q 'dotsd started' &&
		    return 0
		kill -0 "${XPID[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$dir/dotsd.log" >&2
	die "dotsd $name did not start"
}

extra_dotsd_kill() {
	kill -KILL "${XPID[$1]}" 2>/dev/null
	wait "${XPID[$1]}" 2>/dev/null
	log "dotsd $1 killed (SIGKILL)"
}

# extra_dotsd_stop NAME: SIGTERM to NAME (a dotsd or a dotscd), which
# must exit with status 0 (a sanitizer's report makes it 1).
extra_dotsd_stop() {
	local rc
	kill -TERM "${XPID[$1]}" 2>/dev/null
	wait "${XPID[$1]}" 2>/dev/null
	rc=$?
	check "$1 exits with status 0 on SIGTERM (got $rc)" test "$rc" -eq 0
}

# extra_dotscd NAME CLIENT PORT: a dotscd whose server "up" is the dotsd
# on 127.0.0.1 PORT, authenticated as CLIENT.
extra_dotscd() {
	local name=$1 dir="$T/$1" i
	mkdir -p "$dir"
	cat >"$dir/dotscd.conf" <<EOF
database "$dir/dotscd.db"
control-socket "$dir/dotscd.sock"
log-level debug
reconnect-min 1
reconnect-max 2
server "up" {
	address 127.0.0.1
	port $3
	server-name localhost
	transport dtls
	ca-file "$T/certs/ca.pem"
	cert-file "$T/certs/$2.pem"
	key-file "$T/certs/$2-key.pem"
}
EOF
	"$DOTSCD" -d -f "$dir/dotscd.conf" >>"$dir/dotscd.log" 2>&1 &
	XPID[$name]=$!
	BG_PIDS+=("$!")
	for i in $(seq 1 50); do
		[ -S "$dir/dotscd.sock" ] && return 0
		kill -0 "${XPID[$name]}" 2>/dev/null || break
		sleep 0.1
	done
	tail -n 20 "$dir/dotscd.log" >&2
	die "dotscd $name did not start"
}

# ctl_at NAME JSON: one request to NAME's dotscd, its answer in ANS.
ctl_at() {
	ANS=$(python3 - "$T/$1/dotscd.sock" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
try:
    s.connect(sys.argv[1])
except OSError as e:
    print('{"ok":false,"error":{"code":"unreachable","message":"%s"}}' % e)
    sys.exit(0)
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
}

ans() {
	json_query "$ANS" "$1"
}

# dots_mitigator NAME [MORE]: the block of a "dots" mitigator "up" over
# NAME's dotscd (server "up").
dots_mitigator() {
	printf 'mitigator "up" {\n\ttype dots\n\tcontrol-socket "%s"\n\tserver up\n%s\n}\n' \
	    "$T/$1/dotscd.sock" "${2:-}"
}

# count_lines FILE ACTION: apply or withdraw lines of a log mitigator.
count_lines() {
	[ -f "$1" ] || { echo 0; return; }
	awk -v a="$2" '$3 == a' "$1" | wc -l
}

# live_mits NAME: how many mitigations NAME's dotscd has pending or active.
live_mits() {
	ctl_at "$1" '{"cmd":"list"}'
	python3 -c 'import json, sys
v = json.loads(sys.argv[1])
print(len([m for m in v["result"]["mitigations"]
           if m["state"] in ("pending", "active")]))' "$ANS"
}

# store_cdids DB: the cdid of each mitigation in a dotsd store.
store_cdids() {
	python3 -c 'import sqlite3, sys
for (c,) in sqlite3.connect(sys.argv[1]).execute(
        "SELECT cdid FROM mitigations"):
    print(c)' "$1"
}

# gw_finish: no daemon of the test reported a sanitizer error; finish.
gw_finish() {
	local f
	for f in "$T"/*/dotsd.log "$T"/*/dotscd.log; do
		[ -f "$f" ] || continue
		if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' \
		    "$f"; then
			grep -E -A 20 \
			    'AddressSanitizer|LeakSanitizer|runtime error:' \
			    "$f" | head -n 60
			fail "$f has a sanitizer report"
		fi
	done
	finish
}
