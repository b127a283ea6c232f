#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# CTest test certs_script: scripts/dots-certs.sh makes a CA, a server and
# client certificates that `openssl verify` accepts, with the names, SANs,
# curve and key modes it promises, prints a 22-character cuid per client
# that is the start of the printed SHA-256 identity, keeps existing files
# on a second run, and refuses bad names.
#
#   certs_script.sh SCRIPT WORKDIR
set -euo pipefail

script=$1
work=$2
rm -rf "$work"
mkdir -p "$work"
dir=$work/certs

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

out=$("$script" --server-name dots.example "$dir" client1 edge-2.example)
echo "$out"

for f in ca server client1 edge-2.example; do
	[ -f "$dir/$f.pem" ] || fail "$f.pem missing"
	[ "$(stat -c %a "$dir/$f-key.pem")" = 600 ] ||
		fail "$f-key.pem is not mode 0600"
	openssl pkey -in "$dir/$f-key.pem" -noout -text |
		grep -q 'NIST CURVE: P-256' || fail "$f-key.pem is not P-256"
done

openssl verify -CAfile "$dir/ca.pem" "$dir/server.pem" "$dir/client1.pem" \
	"$dir/edge-2.example.pem" || fail "openssl verify"

san=$(openssl x509 -in "$dir/server.pem" -noout -ext subjectAltName)
for want in DNS:dots.example "IP Address:127.0.0.1" \
	"IP Address:0:0:0:0:0:0:0:1"; do
	grep -qF "$want" <<<"$san" || fail "server SAN lacks $want: $san"
done
openssl x509 -in "$dir/server.pem" -noout -subject |
	grep -q 'CN = dots.example' || fail "server CN"
openssl x509 -in "$dir/client1.pem" -noout -subject |
	grep -q 'CN = client1' || fail "client CN"
openssl x509 -in "$dir/client1.pem" -noout -ext subjectAltName |
	grep -qF DNS:client1 || fail "client SAN"

ncuid=0
while read -r name cuid; do
	ncuid=$((ncuid + 1))
	[[ $cuid =~ ^[A-Za-z0-9_-]{22}$ ]] ||
		fail "cuid of $name is not 22 base64url characters: '$cuid'"
	full=$(sed -n "s/^client $name: identity \"spki:\([^\"]*\)\".*/\1/p" \
		<<<"$out")
	[[ $full =~ ^[A-Za-z0-9_-]{43}$ ]] ||
		fail "spki identity of $name is not 43 characters: '$full'"
	[ "${full:0:21}" = "${cuid:0:21}" ] ||
		fail "cuid $cuid of $name is not the start of $full"
done < <(sed -n 's/^client \([^:]*\): cuid \(.*\)$/\1 \2/p' <<<"$out")
[ "$ncuid" -eq 2 ] || fail "$ncuid cuids printed, want 2"

# A second run keeps everything and adds a client signed by the same CA.
files=(ca.pem ca-key.pem server.pem server-key.pem client1.pem
	client1-key.pem edge-2.example.pem edge-2.example-key.pem)
sums=$(cd "$dir" && sha256sum "${files[@]}")
out2=$("$script" "$dir" client1 c3)
[ "$(cd "$dir" && sha256sum "${files[@]}")" = "$sums" ] ||
	fail "second run changed existing files"
grep -q "kept $dir/ca.pem" <<<"$out2" || fail "second run did not keep ca.pem"
openssl verify -CAfile "$dir/ca.pem" "$dir/c3.pem" || fail "c3 verify"
[ "$(grep -c 'cuid' <<<"$out2")" -eq 2 ] || fail "second run cuids"

# Names that are not DNS names, or that clash with the CA's files.
for bad in ca "a b" "under_score" "x."; do
	if "$script" "$dir" "$bad" >/dev/null 2>&1; then
		fail "client name '$bad' accepted"
	fi
done

echo "certs_script: OK"
