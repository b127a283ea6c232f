#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Throwaway certificates for trying dotsd and DOTS clients: a CA, a server
# certificate and one certificate per client, all ECDSA P-256, in PEM.
#
#   scripts/dots-certs.sh [--server-name NAME] [--force] DIR [CLIENT...]
#
# Writes into DIR (created if needed):
#
#   ca.pem, ca-key.pem              the CA, valid 10 years
#   server.pem, server-key.pem      CN and DNS name NAME (default localhost),
#                                   IP 127.0.0.1 and ::1; serverAuth
#   CLIENT.pem, CLIENT-key.pem      CN and DNS name CLIENT; clientAuth
#
# These are the names etc/dotsd.conf.example uses (with DIR=/etc/opendots).
# Keys are mode 0600.  Files that exist are kept, so the script can be run
# again to add a client; --force makes the CA, the server's and the named
# clients' certificates anew (other clients' then no longer chain to the
# CA: the script names them).
#
# For each client it prints the cuid dotsd will see (RFC 9132 section 4.4.1:
# SHA-256 of the certificate's DER SubjectPublicKeyInfo, first 16 bytes,
# base64url without padding) and the `identity "spki:..."` line for
# dotsd.conf (the whole digest).  `identity "cn:CLIENT"` works as well.
set -euo pipefail

CA_DAYS=3650
LEAF_DAYS=825

usage() {
	echo "usage: $0 [--server-name NAME] [--force] DIR [CLIENT...]" >&2
	exit 2
}

die() {
	echo "dots-certs: $*" >&2
	exit 1
}

server_name=localhost
force=0
dir=
clients=()
while [ $# -gt 0 ]; do
	case $1 in
	--server-name)
		[ $# -ge 2 ] || usage
		server_name=$2
		shift 2
		continue
		;;
	--server-name=*) server_name=${1#*=} ;;
	--force) force=1 ;;
	-h | --help) usage ;;
	-*) usage ;;
	*)
		if [ -z "$dir" ]; then
			dir=$1
		else
			clients+=("$1")
		fi
		;;
	esac
	shift
done
[ -n "$dir" ] || usage
command -v openssl >/dev/null 2>&1 ||
	die "openssl not found (Debian package openssl; see scripts/deps.sh)"

# A DNS name of at most 64 characters (the CN limit): letters, digits,
# '-' inside labels, dots between labels.
label='[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?'
valid_name() {
	[[ $1 =~ ^$label(\.$label)*$ ]] && [ ${#1} -le 64 ]
}

valid_name "$server_name" || die "server name '$server_name' is not a DNS name"
for c in "${clients[@]+"${clients[@]}"}"; do
	valid_name "$c" || die "client name '$c' is not a DNS name"
	case $c in
	ca | server) die "client name '$c' would clash with $c.pem" ;;
	esac
done

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The extensions of each kind of certificate, independent of the system's
# openssl.cnf.
cat >"$work/ext.cnf" <<EOF
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:$server_name, IP:127.0.0.1, IP:::1
EOF

# Exists both as certificate and key: keep (unless --force).  Only one of
# the two: refuse rather than guess.
have_pair() {
	local cert=$1 key=$2
	[ "$force" -eq 0 ] || return 1
	if [ -e "$cert" ] && [ -e "$key" ]; then
		return 0
	fi
	if [ -e "$cert" ] || [ -e "$key" ]; then
		die "only one of $cert and $key exists;" \
		    "remove it or use --force"
	fi
	return 1
}

new_key() {
	openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
	    -out "$work/key.pem" 2>/dev/null
	chmod 600 "$work/key.pem"
}

serial() {
	echo "0x$(openssl rand -hex 16)"
}

# install TMP DEST MODE: move into place only once complete.
install_file() {
	chmod "$3" "$1"
	mv -f "$1" "$2"
	echo "wrote $2"
}

# issue NAME CN SECTION: a key and a certificate signed by the CA.
issue() {
	local name=$1 cn=$2 section=$3
	new_key
	openssl req -new -key "$work/key.pem" -subj "/CN=$cn" \
	    -config "$work/ext.cnf" -out "$work/req.pem"
	openssl x509 -req -in "$work/req.pem" -days "$LEAF_DAYS" \
	    -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" -set_serial "$(serial)" \
	    -extfile "$work/ext.cnf" -extensions "$section" \
	    -out "$work/cert.pem" 2>/dev/null
	install_file "$work/key.pem" "$dir/$name-key.pem" 600
	install_file "$work/cert.pem" "$dir/$name.pem" 644
}

# The CA.  A new CA means new certificates for everyone.
if have_pair "$dir/ca.pem" "$dir/ca-key.pem"; then
	echo "kept $dir/ca.pem"
else
	new_key
	openssl req -x509 -new -key "$work/key.pem" -days "$CA_DAYS" \
	    -subj "/CN=opendots throwaway CA" -set_serial "$(serial)" \
	    -config "$work/ext.cnf" -extensions ca -out "$work/cert.pem"
	install_file "$work/key.pem" "$dir/ca-key.pem" 600
	install_file "$work/cert.pem" "$dir/ca.pem" 644
	force=1
	for key in "$dir"/*-key.pem; do
		name=$(basename "$key" -key.pem)
		case " ca server ${clients[*]+"${clients[*]}"} " in
		*" $name "*) continue ;;
		esac
		if [ -e "$dir/$name.pem" ]; then
			echo "note: $dir/$name.pem is from the old CA;" \
			    "name $name here to make it anew"
		fi
	done
fi

if have_pair "$dir/server.pem" "$dir/server-key.pem"; then
	echo "kept $dir/server.pem"
else
	issue server "$server_name" server
fi

for c in "${clients[@]+"${clients[@]}"}"; do
	if have_pair "$dir/$c.pem" "$dir/$c-key.pem"; then
		echo "kept $dir/$c.pem"
		continue
	fi
	cat >>"$work/ext.cnf" <<EOF
[client_$c]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:$c
EOF
	issue "$c" "$c" "client_$c"
done

# SHA-256 of the DER SubjectPublicKeyInfo of certificate $1, base64url
# without padding, cut to $2 bytes.
spki_hash() {
	openssl x509 -in "$1" -pubkey -noout |
	    openssl pkey -pubin -outform DER |
	    openssl dgst -sha256 -binary | head -c "$2" |
	    base64 | tr '+/' '-_' | tr -d '=\n'
}

for c in "${clients[@]+"${clients[@]}"}"; do
	echo "client $c: cuid $(spki_hash "$dir/$c.pem" 16)"
	echo "client $c: identity \"spki:$(spki_hash "$dir/$c.pem" 32)\"" \
	    "or identity \"cn:$c\""
done
