#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Installs the Debian 12 packages that the build, the tests and the fuzzers
# need.  Idempotent: packages already installed are left alone, and apt-get
# runs only if something is missing.  Needs root for that case.
set -euo pipefail

PACKAGES=(
	build-essential		# gcc, make, libc headers
	cmake
	ninja-build
	pkg-config
	clang			# ASan/UBSan build and libFuzzer targets
	libclang-rt-14-dev	# clang's sanitizer and libFuzzer runtimes
	llvm			# llvm-symbolizer, for readable sanitizer traces
	libcbor-dev		# libdots: CBOR (signal channel)
	libjansson-dev		# libdots: JSON (data channel)
	libsqlite3-dev		# dotsd: the durable store
	libcoap3-dev		# dotsd: CoAP over (D)TLS (libcoap-3-gnutls)
	libgnutls28-dev		# dotsd: certificates, cuid of the peer
	libmicrohttpd-dev	# dotsd: the data channel's HTTPS server (RFC 8783 RESTCONF), GnuTLS build
	libcurl4-gnutls-dev	# dotsctl dc: the data channel's HTTPS client (GnuTLS build)
	curl			# tests/integration: the independent client of the data channel
	libcoap3-bin		# coap-client-gnutls, for tests/integration
	libcmocka-dev		# unit tests
	libyang2-tools		# yanglint, checks vectors against the YANG modules
	libyang2-dev		# libyang API: interop tests (tests/interop), data channel
	libpcre2-dev		# pcre2.h, included by libyang's tree_schema.h
	python3			# test and demo helpers
	openssl			# scripts/dots-certs.sh (demo certificates)
	nftables		# nft: packet loss on a veth pair in the client daemon's tests
	iproute2		# ip netns / veth for the tests that make their own network
	xxd			# hex dumps of CBOR vectors
	gobgpd			# BGP speaker of the flowspec and rtbh mitigators, and the forwarding node of their integration tests
	frr			# FRR bgpd: the forwarding node of scripts/demo-offload.sh and bench/bench_flowspec.sh
)

missing=()
for pkg in "${PACKAGES[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
	if [ "$status" != "install ok installed" ]; then
		missing+=("$pkg")
	fi
done

if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#PACKAGES[@]} packages installed"
	exit 0
fi

echo "deps: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: must run as root to install packages" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
