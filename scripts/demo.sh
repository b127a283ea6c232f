#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Builds build/ and runs the codec self-check on the RFC example bodies in
# tests/vectors/rfc/, through dots-codec:
#
# - every signal-channel body <name>.json goes JSON -> CBOR -> JSON -> CBOR.
#   It is OK when the JSON that comes back means the same as the original
#   (same members and values, any order and layout) and both CBOR encodings
#   are the same bytes (the encoder is deterministic);
# - every RFC CBOR dump <name>.cbor.hex is decoded and must mean the same
#   as <name>.json;
# - data-channel bodies (RFC 8783, top-level member ietf-dots-data-channel:*)
#   have no CBOR form and are listed as SKIP.
#
# Then scripts/demo-dotsd.sh runs dotsd on loopback and takes one client's
# mitigation through its life cycle with libcoap's coap-client, and
# scripts/demo-offload.sh offloads reflection attacks through the flowspec
# mitigator to FRR's bgpd as a forwarding node, and
# scripts/demo-orchestrator.sh runs three roles: a DMS that offloads
# itself, an orchestrator (flowspec, escalating upstream) and an upstream
# provider.
#
#   ./scripts/demo.sh
#
# Prints one OK/FAIL/SKIP line per check and a summary; exits 1 if any
# check failed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/deps.sh

generator=()
if command -v ninja >/dev/null 2>&1; then
	generator=(-G Ninja)
fi
if [ -f build/CMakeCache.txt ] && [ ${#generator[@]} -gt 0 ] &&
    ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' build/CMakeCache.txt; then
	rm -rf build
fi
# Same settings as the second half of scripts/test.sh, so the two share
# build/ without rebuilding everything.
cmake -S . -B build "${generator[@]}" \
	-DCMAKE_C_COMPILER=gcc \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo \
	-DDOTS_WERROR=ON >/dev/null
cmake --build build --parallel "$(nproc 2>/dev/null || echo 2)"

codec=build/src/cli/dots-codec
if [ ! -x "$codec" ]; then
	echo "demo: $codec was not built (src/cli is not there yet?)" >&2
	exit 1
fi

shopt -s nullglob
vectors=(tests/vectors/rfc/*.json)
if [ ${#vectors[@]} -eq 0 ]; then
	echo "demo: no vectors in tests/vectors/rfc/*.json" >&2
	exit 1
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Same JSON value, ignoring member order and whitespace.
same_json() {
	python3 - "$1" "$2" <<'PY'
import json, sys
with open(sys.argv[1]) as a, open(sys.argv[2]) as b:
    sys.exit(0 if json.load(a) == json.load(b) else 1)
PY
}

# True for an RFC 8783 data-channel body, which has no CBOR mapping.
is_data_channel() {
	python3 - "$1" <<'PY'
import json, sys
with open(sys.argv[1]) as f:
    body = json.load(f)
data = isinstance(body, dict) and any(
    k.startswith("ietf-dots-data-channel:") for k in body)
sys.exit(0 if data else 1)
PY
}

pass=0
fail=0
skip=0
ok() {
	printf 'OK    %-60s %s\n' "$1" "$2"
	pass=$((pass + 1))
}
failed() {
	printf 'FAIL  %-60s %s\n' "$1" "$2"
	fail=$((fail + 1))
}

for f in "${vectors[@]}"; do
	name=${f#tests/vectors/rfc/}
	if is_data_channel "$f"; then
		printf 'SKIP  %-60s %s\n' "$name" "data channel: JSON only"
		skip=$((skip + 1))
		continue
	fi
	why=""
	if ! "$codec" json2cbor "$f" >"$tmp/1.hex" 2>"$tmp/err"; then
		why="json2cbor: $(head -n 1 "$tmp/err")"
	elif ! "$codec" cbor2json "$tmp/1.hex" >"$tmp/2.json" 2>"$tmp/err"; then
		why="cbor2json: $(head -n 1 "$tmp/err")"
	elif ! "$codec" json2cbor "$tmp/2.json" >"$tmp/3.hex" 2>"$tmp/err"; then
		why="json2cbor of the decoded JSON: $(head -n 1 "$tmp/err")"
	elif ! same_json "$f" "$tmp/2.json" 2>"$tmp/err"; then
		why="JSON after the round trip differs from the original"
	elif ! cmp -s "$tmp/1.hex" "$tmp/3.hex"; then
		why="CBOR differs between the first and second encoding"
	fi
	if [ -z "$why" ]; then
		bytes=$(tr -cd '0-9a-fA-F' <"$tmp/1.hex" | wc -c)
		ok "$name" "$(printf '%5d bytes CBOR' $((bytes / 2)))"
	else
		failed "$name" "$why"
	fi
done

# The CBOR that the RFCs print, decoded and compared with their JSON.
for h in tests/vectors/rfc/*.cbor.hex; do
	name=${h#tests/vectors/rfc/}
	json=${h%.cbor.hex}.json
	if [ ! -f "$json" ]; then
		failed "$name" "no ${json#tests/vectors/rfc/} to compare with"
	elif ! "$codec" cbor2json "$h" >"$tmp/h.json" 2>"$tmp/err"; then
		failed "$name" "cbor2json: $(head -n 1 "$tmp/err")"
	elif ! same_json "$json" "$tmp/h.json" 2>"$tmp/err"; then
		failed "$name" "decodes to other JSON than ${json#tests/vectors/rfc/}"
	else
		ok "$name" "RFC CBOR decodes to the RFC JSON"
	fi
done

echo "demo: ${#vectors[@]} JSON vectors, $skip skipped (no CBOR form)"
echo "demo: $pass passed, $fail failed"
[ "$fail" -eq 0 ] || exit 1

echo
echo "demo: the DOTS server"
./scripts/demo-dotsd.sh build

echo
echo "demo: DDoS mitigation offload, dotsd -> GoBGP -> FRR over BGP Flowspec"
rc=0
./scripts/demo-offload.sh build || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || exit "$rc"

echo
echo "demo: orchestration, DMS -> orchestrator -> flowspec and upstream provider"
rc=0
./scripts/demo-orchestrator.sh build || rc=$?
[ "$rc" -eq 0 ] || [ "$rc" -eq 77 ] || exit "$rc"
