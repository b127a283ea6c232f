#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Load test of dotsd over DTLS: throwaway certificates and a configuration
# in a temporary directory, dotsd pinned to CPU 0, bench_dotsd (the load
# generator) pinned to CPU 1.  Everything is stopped and removed on exit.
#
#   bench/run_dotsd_bench.sh [BUILD_DIR [MEASUREMENTS]]  # default /tmp/bl, all
#
# Use an optimized build without sanitizers for figures that mean anything.
set -euo pipefail

SRC_DIR=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-/tmp/bl}
DOTSD=$BUILD/src/server/dotsd
BENCH=$BUILD/bench/bench_dotsd
[ -x "$DOTSD" ] || { echo "$DOTSD: not built" >&2; exit 1; }
[ -x "$BENCH" ] || { echo "$BENCH: not built" >&2; exit 1; }

T=$(mktemp -d "${TMPDIR:-/tmp}/dotsd-bench.XXXXXX")
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

PORT=$(python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])')

# max-mitigations and max-rate at the most conf_schema.c accepts.
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
max-sessions 5000
max-handshakes 200
mitigator "log" {
	type log
	file "/dev/null"
}
client "client1" {
	identity "cn:client1"
	prefix 10.0.0.0/8
	max-mitigations 65535
	max-rate 100000
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

taskset -c 1 "$BENCH" 127.0.0.1 "$PORT" "$T/certs" client1 "$CUID" \
    "$DOTSD_PID" ${2:+"$2"}
