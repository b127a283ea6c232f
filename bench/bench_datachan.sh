#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Load test of dotsd's data channel (RFC 8783, RESTCONF over HTTPS with
# mutual TLS, libmicrohttpd): throwaway certificates and a configuration in
# a temporary directory, dotsd with its data channel on loopback and a
# durable store (every write answered after its turn's commit) pinned to
# CPU 0, bench_datachan (libcurl, a thread a connection) pinned to CPU 1.
# dotsd is stopped and everything removed on exit, failures included.
#
#   bench/bench_datachan.sh BUILD_DIR [RUNS [N [FILL]]]
#
# RUNS (default 5) runs of: N (default 2000) ACLs created then deleted
# over 1, 4 and 16 kept-alive connections, then FILL (default 10,000)
# created over 4, dotsd's VmRSS read, and deleted.  Figures are printed,
# never asserted.  Use an optimized build without sanitizers.
set -euo pipefail

SRC_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "${1:?usage: $0 BUILD_DIR [RUNS [N [FILL]]]}" && pwd)
RUNS=${2:-5}
DOTSD=$BUILD/src/server/dotsd
BENCH=$BUILD/bench/bench_datachan
[ -x "$DOTSD" ] || { echo "$DOTSD: not built" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "$BENCH: not built" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/dotsd-dcbench.XXXXXX")
DOTSD_PID=
cleanup() {
	if [ -n "$DOTSD_PID" ]; then
		kill -TERM "$DOTSD_PID" 2>/dev/null || true
		wait "$DOTSD_PID" 2>/dev/null || true
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

out=$("$SRC_DIR/scripts/dots-certs.sh" "$T/certs" client1)
CUID=$(sed -n 's/^client client1: cuid \([A-Za-z0-9_-]*\)$/\1/p' <<<"$out")
[ -n "$CUID" ] || { echo "no cuid from dots-certs.sh: $out" >&2; exit 1; }

free_port() {	# free_port udp|tcp
	python3 -c 'import socket, sys
t = socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM
s = socket.socket(socket.AF_INET, t)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$1"
}
PORT=$(free_port udp)
DC_PORT=$(free_port tcp)

# log-level info: each data-channel request is logged at debug only.
cat >"$T/dotsd.conf" <<EOC
listen 127.0.0.1 $PORT
transport dtls
ca-file "$T/certs/ca.pem"
cert-file "$T/certs/server.pem"
key-file "$T/certs/server-key.pem"
database "$T/dotsd.db"
control-socket "$T/dotsd.sock"
durable yes
log-level info
data-channel-listen 127.0.0.1 $DC_PORT
data-channel-yang-dir "$SRC_DIR/yang"
mitigator "log" {
	type log
	file "/dev/null"
}
client "client1" {
	identity "cn:client1"
	prefix 192.0.2.0/24
}
EOC

taskset -c 0 "$DOTSD" -d -f "$T/dotsd.conf" >"$T/dotsd.log" 2>&1 &
DOTSD_PID=$!
for _ in $(seq 1 100); do
	grep -q 'dotsd started' "$T/dotsd.log" && break
	kill -0 "$DOTSD_PID" 2>/dev/null || { cat "$T/dotsd.log"; exit 1; }
	sleep 0.1
done
grep -q 'dotsd started' "$T/dotsd.log" || { cat "$T/dotsd.log"; exit 1; }

taskset -c 1 "$BENCH" "https://127.0.0.1:$DC_PORT" "$T/certs" client1 \
    "$CUID" "$DOTSD_PID" "$RUNS" ${3:+"$3"} ${4:+"$4"}

kill -0 "$DOTSD_PID" 2>/dev/null || echo "dotsd is no longer running"
echo "dotsd.db: $(du -k "$T/dotsd.db" | cut -f1) KiB after the runs"
# Anything dotsd found worth more than info during the runs.
if grep -E -v '\] (info|debug)' "$T/dotsd.log" |
    grep -E -i 'warn|err|crit|fail' >"$T/odd"; then
	echo "dotsd logged $(wc -l <"$T/odd") warnings or errors, the first:"
	head -n 5 "$T/odd"
fi
