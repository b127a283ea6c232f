#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# DDoS mitigation offload, end to end on loopback: dotsd with the flowspec
# mitigator drives a GoBGP speaker (gobgpd), which announces to a
# forwarding node, FRR's bgpd, over BGP.  The DOTS client is dotsctl
# --direct, as a mitigation system under a reflection attack would ask:
#
# 1. DNS and NTP reflection towards 192.0.2.2 from two known reflectors
#    (RFC 9066 source-prefix and source-port-range);
# 2. 32 reflectors towards 192.0.2.3, more than the demo's budget of 8
#    rules a mitigation: merged into covering source prefixes;
# 3. both withdrawn.
#
# After each step the flow rules are shown as the forwarding node sees
# them, with FRR's own CLI (vtysh).  bgpd runs without zebra: it receives
# and shows the rules but does not filter (docs/mitigators.md says why).
#
#   scripts/demo-offload.sh BUILD_DIR
#
# OK/FAIL lines; exits 1 if a check failed, 77 if gobgpd or FRR is
# missing (scripts/deps.sh installs both).  Every daemon it started is
# stopped on exit.
set -euo pipefail

SRC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=$(cd "${1:?usage: demo-offload.sh BUILD_DIR}" && pwd)
DOTSD=$BUILD/src/server/dotsd
DOTSCTL=$BUILD/src/ctl/dotsctl
BGPD=${BGPD:-/usr/lib/frr/bgpd}

for p in gobgpd gobgp vtysh; do
	command -v "$p" >/dev/null 2>&1 || {
		echo "SKIP  offload demo: $p not found (scripts/deps.sh)"
		exit 77
	}
done
[ -x "$BGPD" ] || { echo "SKIP  offload demo: no $BGPD (Debian: frr)"; exit 77; }

T=$(mktemp -d)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]+"${PIDS[@]}"}"; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in "${PIDS[@]+"${PIDS[@]}"}"; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

pass=0
fail=0
ok() { printf 'OK    %-52s %s\n' "$1" "${2:-}"; pass=$((pass + 1)); }
failed() { printf 'FAIL  %-52s %s\n' "$1" "${2:-}"; fail=$((fail + 1)); }
say() { printf '\n== %s\n' "$*"; }

free_port() {	# free_port tcp|udp
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM if sys.argv[1] == "tcp"
                  else socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$1"
}

wait_for() {	# wait_for SECONDS COMMAND...
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

n=$((RANDOM % 200 + 20))
SPK=127.$n.77.1
FWD=127.$n.77.2
BGP_PORT=$(free_port tcp)
API_PORT=$(free_port tcp)
DOTS_PORT=$(free_port udp)

# The forwarding node: FRR's bgpd, passive, without zebra.
mkdir -p "$T/frr"
cat >"$T/frr/frr.conf" <<EOF
frr defaults traditional
hostname forwarding-node
log file $T/frr/bgpd.log
router bgp 65002
 bgp router-id $FWD
 no bgp ebgp-requires-policy
 neighbor $SPK remote-as 65001
 neighbor $SPK passive
 address-family ipv4 flowspec
  neighbor $SPK activate
 exit-address-family
EOF
chown -R frr:frr "$T/frr" 2>/dev/null || true
chmod 755 "$T"
"$BGPD" -Z -l "$FWD" -p "$BGP_PORT" -f "$T/frr/frr.conf" \
    -i "$T/frr/bgpd.pid" --vty_socket "$T/frr" >"$T/frr/out" 2>&1 &
PIDS+=($!)
fwd() { vtysh --vty_socket "$T/frr" -c "$*"; }
wait_for 10 fwd "show bgp summary" || {
	cat "$T/frr/out" >&2
	failed "FRR bgpd starts"
	exit 1
}
ok "forwarding node: FRR bgpd $(dpkg-query -W -f '${Version}' frr 2>/dev/null || true)" "$FWD port $BGP_PORT"

# The speaker dotsd drives: gobgpd, connecting to the forwarding node.
cat >"$T/spk.toml" <<EOF
[global.config]
  as = 65001
  router-id = "$SPK"
  port = -1
[[neighbors]]
  [neighbors.config]
    neighbor-address = "$FWD"
    peer-as = 65002
  [neighbors.transport.config]
    local-address = "$SPK"
    remote-port = $BGP_PORT
  [neighbors.timers.config]
    connect-retry = 1
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "ipv4-flowspec"
EOF
gobgpd -f "$T/spk.toml" --api-hosts="$SPK:$API_PORT" --pprof-disable -p \
    >"$T/spk.log" 2>&1 &
PIDS+=($!)
established() {
	fwd "show bgp neighbors $SPK" | grep -q 'BGP state = Established'
}
if wait_for 30 established; then
	ok "BGP session speaker -> forwarding node" "Established"
else
	failed "BGP session speaker -> forwarding node" "not established"
	exit 1
fi

# dotsd, with the flowspec mitigator on that speaker.
"$SRC_DIR/scripts/dots-certs.sh" "$T/certs" client1 >/dev/null
cat >"$T/dotsd.conf" <<EOF
listen 127.0.0.1 $DOTS_PORT
transport dtls
ca-file "$T/certs/ca.pem"
cert-file "$T/certs/server.pem"
key-file "$T/certs/server-key.pem"
database "$T/dotsd.db"
control-socket "$T/dotsd.sock"
syslog no
active-but-terminating 1
mitigator "offload" {
	type flowspec
	api-host $SPK
	api-port $API_PORT
	retry-interval 1
	max-rules-per-mitigation 8
	min-source-prefix-length-v4 16
}
client "client1" {
	identity "cn:client1"
	prefix 192.0.2.0/24
	mitigator "offload"
}
EOF
"$DOTSD" -d -f "$T/dotsd.conf" >"$T/dotsd.log" 2>&1 &
PIDS+=($!)
if wait_for 10 grep -q 'dotsd started' "$T/dotsd.log"; then
	ok "dotsd with the flowspec mitigator" "127.0.0.1 port $DOTS_PORT"
else
	cat "$T/dotsd.log" >&2
	failed "dotsd starts"
	exit 1
fi

ctl() {
	"$DOTSCTL" --direct "127.0.0.1:$DOTS_PORT" --ca "$T/certs/ca.pem" \
	    --cert "$T/certs/client1.pem" --key "$T/certs/client1-key.pem" "$@"
}

# The flow rules at the forwarding node, one a line.
fwd_rules() {
	fwd "show bgp ipv4 flowspec detail" | python3 -c '
import sys
rule = []
for line in sys.stdin:
    line = line.strip()
    if line.startswith("BGP flowspec entry"):
        if rule: print(" ".join(rule))
        rule = []
    elif line and not line.startswith(("received", "not installed",
                                       "Displayed", "installed")):
        rule.append(line)
if rule: print(" ".join(rule))'
}
rules_count() { fwd_rules | grep -c . || true; }
rules_are() { [ "$(rules_count)" = "$1" ]; }

say "DNS and NTP reflection towards 192.0.2.2, two reflectors"
echo "\$ dotsctl --direct 127.0.0.1:$DOTS_PORT ... mitigate 192.0.2.2/32 --protocol udp --source-prefix 203.0.113.2/32 --source-prefix 203.0.113.3/32 --source-port 53,123 --mid 1"
if ctl mitigate 192.0.2.2/32 --protocol udp --source-prefix 203.0.113.2/32 \
    --source-prefix 203.0.113.3/32 --source-port 53,123 --mid 1; then
	ok "mitigation 1 accepted by dotsd"
else
	failed "mitigation 1 accepted by dotsd" "dotsctl exit $?"
fi
if wait_for 15 rules_are 2; then
	ok "forwarding node holds 2 flow rules"
else
	failed "forwarding node holds 2 flow rules" "$(rules_count)"
fi
echo "\$ vtysh -c 'show bgp ipv4 flowspec detail'"
fwd "show bgp ipv4 flowspec detail" | sed 's/^/    /'
if fwd_rules | grep -q 'Source Address 203.0.113.3/32' &&
    fwd_rules | grep -q 'Source Port = 53 ,= 123\|Source Port = 53 .*123'; then
	ok "rules match source 203.0.113.3 and source ports 53, 123"
else
	failed "rules match source 203.0.113.3 and source ports 53, 123" \
	    "$(fwd_rules | head -n 1)"
fi

say "32 reflectors towards 192.0.2.3: more than the budget of 8 rules"
srcs=()
for i in $(seq 1 16); do
	srcs+=(--source-prefix "198.51.100.$((i * 7))/32")
	srcs+=(--source-prefix "203.0.113.$((i * 11))/32")
done
echo "\$ dotsctl --direct ... mitigate 192.0.2.3/32 --protocol udp --source-port 123 --source-prefix 198.51.100.7/32 ... (32 sources) --mid 2"
if ctl mitigate 192.0.2.3/32 --protocol udp --source-port 123 "${srcs[@]}" \
    --mid 2; then
	ok "mitigation 2 accepted by dotsd"
else
	failed "mitigation 2 accepted by dotsd" "dotsctl exit $?"
fi
# as many rules as dotsd says it made, at most the budget
merged() {
	local want n
	want=$(sed -n 's/.*mitigation [0-9]*: 32 source prefixes .*, \([0-9]*\) rules.*/\1/p' \
	    "$T/dotsd.log" | tail -n 1)
	n=$(fwd_rules | grep -c 'Destination Address 192.0.2.3/32' || true)
	[ -n "$want" ] && [ "$n" = "$want" ] && [ "$n" -le 8 ]
}
if wait_for 15 merged; then
	ok "forwarding node: 192.0.2.3 within the budget" \
	    "$(fwd_rules | grep -c 'Destination Address 192.0.2.3/32') rules"
else
	failed "forwarding node: 192.0.2.3 within the budget" \
	    "$(fwd_rules | grep -c 'Destination Address 192.0.2.3/32' || true) rules"
fi
fwd "show bgp ipv4 flowspec" | sed 's/^/    /'
fwd_rules | grep 'Destination Address 192.0.2.3/32' | sed 's/^/    /'
echo "dotsd's log:"
grep 'pass the budget' "$T/dotsd.log" | sed 's/^/    /'

say "withdraw both"
ctl withdraw 1 >/dev/null && ctl withdraw 2 >/dev/null &&
    ok "mitigations 1 and 2 withdrawn" || failed "withdraw" "dotsctl failed"
if wait_for 15 rules_are 0; then
	ok "forwarding node holds no flow rule"
else
	failed "forwarding node holds no flow rule" "$(rules_count) left"
fi
fwd "show bgp ipv4 flowspec" | sed 's/^/    /'

echo
echo "demo-offload: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
