#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# FastNetMon's notify script for dotscd: turns FastNetMon's ban and unban
# of a host into `trigger` start and stop requests of dotscd's control
# protocol (docs/control-protocol.md), origin "detector:fastnetmon", so
# that the DOTS client asks its DOTS server to mitigate the attacked host.
# Installation and settings: docs/triggers.md.
#
# FastNetMon runs notify_script_path as
#	SCRIPT IP DIRECTION PPS ACTION
# DIRECTION is incoming or outgoing, ACTION ban, unban or attack_details;
# for ban and attack_details the attack's description comes on stdin,
# which must be read to its end.
#
# Settings come from the environment, or from KEY=VALUE lines in
# $DOTS_FNM_CONF (default /etc/opendots/fastnetmon-notify.conf; read, not
# run by the shell):
#	DOTSCTL_SOCKET		dotscd's socket (/run/opendots/dotscd.sock)
#	DOTS_FNM_ORIGIN		origin of the requests (detector:fastnetmon)
#	DOTS_FNM_DIRECTIONS	directions acted upon (incoming)
#	DOTS_FNM_LIFETIME	lifetime of the mitigation, s (dotscd's default)
#	DOTS_FNM_TIMEOUT	seconds to wait for dotscd's answer (10)
#	DOTS_FNM_LOG		a file to log to as well (none)
#
# Exit status: 0 done (or nothing to do), 1 dotscd refused the request,
# 2 bad arguments or settings, 3 dotscd is not reachable.  Every outcome
# is logged to syslog (logger, when present) and to stderr.
#
# It speaks the protocol itself with python3 rather than through dotsctl,
# so that bash and python3 are all it needs on a FastNetMon host.
set -uo pipefail

PROG=opendots-fastnetmon
CONF=${DOTS_FNM_CONF:-/etc/opendots/fastnetmon-notify.conf}

log() {
	local prio=$1
	shift
	printf '%s: %s\n' "$PROG" "$*" >&2
	if command -v logger >/dev/null 2>&1; then
		logger -t "$PROG" -p "daemon.$prio" -- "$*" 2>/dev/null
	fi
	if [ -n "${DOTS_FNM_LOG:-}" ]; then
		printf '%s %s: %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
		    "$prio" "$*" >>"$DOTS_FNM_LOG" 2>/dev/null
	fi
}

# Only the known keys, and the environment wins over the file.
read_conf() {
	local line key value n=0
	[ -r "$CONF" ] || return 0
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		[[ $line =~ ^[[:space:]]*$ ]] && continue
		if ! [[ $line =~ ^[[:space:]]*([A-Z_]+)=(.*[^[:space:]])?[[:space:]]*$ ]]
		then
			log err "$CONF:$n: not KEY=VALUE"
			exit 2
		fi
		key=${BASH_REMATCH[1]}
		value=${BASH_REMATCH[2]:-}
		case $key in
		DOTSCTL_SOCKET | DOTS_FNM_ORIGIN | DOTS_FNM_DIRECTIONS | \
		    DOTS_FNM_LIFETIME | DOTS_FNM_TIMEOUT | DOTS_FNM_LOG)
			[ -n "${!key+x}" ] || printf -v "$key" '%s' "$value"
			;;
		*)
			log err "$CONF:$n: unknown setting $key"
			exit 2
			;;
		esac
	done <"$CONF"
}

# Read stdin to its end, if it is not a terminal, so that FastNetMon's
# write never fails; the first 16 KiB are kept as the details.
drain_stdin() {
	[ -t 0 ] && return 0
	DETAILS=$(head -c 16384 | tr -d '\000')
	cat >/dev/null
}

usage() {
	log err "usage: $0 IP incoming|outgoing PPS ban|unban|attack_details" \
	    "(got: $*)"
	exit 2
}

read_conf
SOCKET=${DOTSCTL_SOCKET:-/run/opendots/dotscd.sock}
ORIGIN=${DOTS_FNM_ORIGIN:-detector:fastnetmon}
DIRECTIONS=${DOTS_FNM_DIRECTIONS:-incoming}
LIFETIME=${DOTS_FNM_LIFETIME:-}
TIMEOUT=${DOTS_FNM_TIMEOUT:-10}
DETAILS=

[ $# -eq 4 ] || usage "$@"
IP=$1 DIRECTION=$2 PPS=$3 ACTION=$4
[[ $PPS =~ ^[0-9]+$ ]] || usage "$@"
[[ $DIRECTION =~ ^[a-z_]+$ ]] || usage "$@"
[[ -z $LIFETIME || $LIFETIME =~ ^([1-9][0-9]*|-1)$ ]] || {
	log err "DOTS_FNM_LIFETIME must be seconds or -1: $LIFETIME"
	exit 2
}
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || {
	log err "DOTS_FNM_TIMEOUT must be a number of seconds: $TIMEOUT"
	exit 2
}
case $ACTION in
ban | attack_details)
	drain_stdin
	CMD=start
	;;
unban)
	CMD=stop
	;;
*)
	drain_stdin
	usage "$@"
	;;
esac

case " $DIRECTIONS " in
*" $DIRECTION "*) ;;
*)
	log info "$ACTION $IP ($DIRECTION, $PPS pps): direction not in" \
	    "DOTS_FNM_DIRECTIONS ($DIRECTIONS), nothing signalled"
	exit 0
	;;
esac

command -v python3 >/dev/null 2>&1 || {
	log err "python3 not found: cannot reach dotscd"
	exit 3
}

# Prints one line, "STATUS message"; STATUS is the exit status.
RESULT=$(DETAILS=$DETAILS python3 -c '
import ipaddress, json, os, socket, sys

sock, origin, cmd, ip, direction, pps, action, lifetime, timeout = sys.argv[1:]
def out(code, msg):
    print(code, msg)
    sys.exit(0)
try:
    addr = ipaddress.ip_address(ip)
except ValueError:
    out(2, "%r is not an IP address" % ip)
target = "%s/%d" % (addr, addr.max_prefixlen)
req = {"id": 1, "cmd": "trigger", "action": cmd, "origin": origin,
       "target": target}
if cmd == "start":
    details = {"direction": direction, "pps": int(pps), "action": action}
    if os.environ.get("DETAILS"):
        details["report"] = os.environ["DETAILS"]
    req["details"] = details
    if lifetime:
        req["scope"] = {"lifetime": int(lifetime)}
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(float(timeout))
try:
    s.connect(sock)
    s.sendall(json.dumps(req).encode() + b"\n")
    buf = b""
    while True:
        while b"\n" not in buf:
            chunk = s.recv(65536)
            if not chunk:
                out(3, "dotscd at %s closed the connection without an "
                    "answer" % sock)
            buf += chunk
        line, buf = buf.split(b"\n", 1)
        ans = json.loads(line)
        if isinstance(ans, dict) and "event" not in ans:
            break
except (OSError, socket.timeout) as e:
    out(3, "dotscd is not reachable at %s: %s" % (sock,
        e.strerror or str(e) or "timed out"))
except ValueError:
    out(1, "dotscd answered something that is not JSON")
finally:
    s.close()
if ans.get("ok") is True:
    r = ans.get("result") or {}
    out(0, "%s %s: mid %s, %s" % (cmd, target, r.get("mid", "?"),
        r.get("state", "accepted")))
err = ans.get("error") or {}
code = err.get("code", "?")
if cmd == "stop" and code == "not-found":
    out(0, "stop %s: nothing to withdraw" % target)
msg = "%s %s refused: %s: %s" % (cmd, target, code, err.get("message", ""))
if err.get("server"):
    msg += " (server %s: %s)" % (err["server"].get("code", "?"),
                                 err["server"].get("diagnostic", ""))
out(1, msg)
' "$SOCKET" "$ORIGIN" "$CMD" "$IP" "$DIRECTION" "$PPS" "$ACTION" \
    "$LIFETIME" "$TIMEOUT")
STATUS=${RESULT%% *}
MSG=${RESULT#* }
case $STATUS in
0)
	log info "$ACTION $IP ($DIRECTION, $PPS pps): $MSG"
	exit 0
	;;
1 | 2 | 3)
	log err "$ACTION $IP ($DIRECTION, $PPS pps): $MSG"
	exit "$STATUS"
	;;
*)
	log err "$ACTION $IP: python3 failed: $RESULT"
	exit 3
	;;
esac
