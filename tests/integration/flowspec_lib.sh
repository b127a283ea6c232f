# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# What the flowspec and rtbh integration tests share, on top of lib.sh: two
# GoBGP daemons on loopback, the speaker that dotsd drives (SPK) and a
# forwarding node (FWD) peered with it, each with its own address in
# 127/8, its own BGP and API ports, and its files in $T.  lib.sh's EXIT
# trap kills them (they are in BG_PIDS).  Sourced after lib.sh.
#
#	gobgp_init			# addresses, ports, or exit 77
#	start_speaker; start_fwd; wait_established
#	fwd_rib ipv4-flowspec		# one route a line, sorted

GOBGPD=${GOBGPD:-gobgpd}
GOBGP=${GOBGP:-gobgp}
SPK_PID=
FWD_PID=

free_tcp_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

gobgp_init() {
	command -v "$GOBGPD" >/dev/null 2>&1 ||
	    skip "$GOBGPD not found (Debian: gobgpd)"
	GOBGP=$(command -v "$GOBGP") || skip "gobgp not found (Debian: gobgpd)"
	local n=$((RANDOM % 200 + 20)) m=$((RANDOM % 200 + 20))
	SPK_ADDR=127.$n.$m.1
	FWD_ADDR=127.$n.$m.2
	FWD_BGP_PORT=$(free_tcp_port)
	SPK_API_PORT=$(free_tcp_port)
	FWD_API_PORT=$(free_tcp_port)
}

# The speaker: no listening socket; connects to the forwarding node.
start_speaker() {
	cat >"$T/spk.toml" <<EOT
[global.config]
  as = 65001
  router-id = "$SPK_ADDR"
  port = -1
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$FWD_ADDR"
    peer-as = 65002
  [neighbors.transport.config]
    local-address = "$SPK_ADDR"
    remote-port = $FWD_BGP_PORT
  [neighbors.timers.config]
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-flowspec"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-flowspec"
EOT
	"$GOBGPD" -f "$T/spk.toml" --api-hosts="$SPK_ADDR:$SPK_API_PORT" \
	    --pprof-disable -p >>"$T/spk.log" 2>&1 &
	SPK_PID=$!
	BG_PIDS+=("$SPK_PID")
	wait_api "$SPK_ADDR" "$SPK_API_PORT" || die "speaker did not start"
	log "speaker gobgpd (pid $SPK_PID) on $SPK_ADDR api $SPK_API_PORT"
}

stop_speaker() {
	[ -n "$SPK_PID" ] || return 0
	kill "$SPK_PID" 2>/dev/null
	wait "$SPK_PID" 2>/dev/null
	SPK_PID=
	log "speaker stopped"
}

# The forwarding node: listens, waits for the speaker.
start_fwd() {
	cat >"$T/fwd.toml" <<EOT
[global.config]
  as = 65002
  router-id = "$FWD_ADDR"
  port = $FWD_BGP_PORT
  local-address-list = ["$FWD_ADDR"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$SPK_ADDR"
    peer-as = 65001
  [neighbors.transport.config]
    local-address = "$FWD_ADDR"
    passive-mode = true
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-unicast"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-flowspec"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv6-flowspec"
EOT
	"$GOBGPD" -f "$T/fwd.toml" --api-hosts="$FWD_ADDR:$FWD_API_PORT" \
	    --pprof-disable -p >>"$T/fwd.log" 2>&1 &
	FWD_PID=$!
	BG_PIDS+=("$FWD_PID")
	wait_api "$FWD_ADDR" "$FWD_API_PORT" || die "forwarding node did" \
	    "not start"
	log "forwarding node gobgpd (pid $FWD_PID) on $FWD_ADDR bgp" \
	    "$FWD_BGP_PORT api $FWD_API_PORT"
}

wait_api() {
	local i
	for i in $(seq 1 50); do
		"$GOBGP" -u "$1" -p "$2" global >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	return 1
}

established() {
	"$GOBGP" -u "$FWD_ADDR" -p "$FWD_API_PORT" neighbor "$SPK_ADDR" \
	    2>/dev/null | grep -qi 'BGP state = established'
}

wait_established() {
	wait_until 30 established || die "BGP session did not come up"
	log "BGP session established"
}

# spk CMD...: the gobgp CLI on the speaker.
spk() {
	"$GOBGP" -u "$SPK_ADDR" -p "$SPK_API_PORT" "$@"
}

# fwd_rib FAMILY: what the forwarding node received from the speaker, as
# GoBGP names each route, then its action or communities; sorted.
fwd_rib() {
	"$GOBGP" -u "$FWD_ADDR" -p "$FWD_API_PORT" -j neighbor "$SPK_ADDR" \
	    adj-in -a "$1" 2>/dev/null | python3 -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
out = []
for name, paths in d.items():
    for p in paths:
        extra = []
        for a in p.get("attrs", []):
            for e in a.get("value", []) if a.get("type") == 16 else []:
                extra.append("rate %g" % e.get("rate", -1))
            if a.get("type") == 8:
                extra.append("communities %s" % ",".join(
                    "%d:%d" % (c >> 16, c & 0xffff)
                    for c in a["communities"]))
        out.append(name + " " + " ".join(extra))
print("\n".join(sorted(out)))'
}

# fwd_rib_is FAMILY WANT: the forwarding node holds exactly WANT (lines).
fwd_rib_is() {
	[ "$(fwd_rib "$1")" = "$2" ]
}

# expect_fwd_rib FAMILY WANT [SECONDS]: wait until it does, check.
expect_fwd_rib() {
	if wait_until "${3:-15}" fwd_rib_is "$1" "$2"; then
		pass "forwarding node $1: ${2:-<nothing>}"
	else
		fail "forwarding node $1: want '${2:-<nothing>}', got" \
		    "'$(fwd_rib "$1")'"
	fi
}
