# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Shared code of the integration tests: a real dotsd on a free loopback
# port, driven with libcoap's coap-client-gnutls over DTLS (or TLS: set
# TRANSPORT before dotsd_conf and SCHEME before the requests).  Sourced by
# the test scripts, never run.  A test looks like
#
#	. "$(dirname "$0")/lib.sh"
#	lib_init "$@"			# DOTSD DOTS_CODEC, from CTest
#	dotsd_conf "$(client_block client1 'prefix 192.0.2.0/24')"
#	start_dotsd
#	as_client client1
#	put_json 1 "$(mit_json 192.0.2.0/24 3600)"
#	expect_code 2.01
#	expect_json_field "$MS.scope.0.mid" 1
#	finish
#
# Everything lives in one temporary directory ($T): certificates (made by
# scripts/dots-certs.sh), dotsd.conf, the database, the log mitigator's
# file (mitigator.log), dotsd's own log (dotsd.log) and the transcripts of
# the requests.  An EXIT trap kills the daemons and background clients
# this file started and removes $T, whether the test passed, failed or was
# interrupted; set KEEP_TMP=1 to keep $T for a look.
#
# Requests: put_json/put_cbor/get/delete/coap_req run one coap-client and
# set
#	CODE	the response code ("2.01", "4.00", ...) or "none" when no
#		response came within the timeout
#	BODY	the response body: JSON (dots-codec's rendering of the CBOR)
#		if it was CBOR, else its text (the diagnostic of a 4.xx/5.xx)
#	MAXAGE	the Max-Age option, or "" if absent
# The client is the one named by as_client (its certificate) or
# as_psk_client (a PSK identity and key); SCHEME is coaps (DTLS, the
# default) or coaps+tcp (TLS).
# Checks (expect_*) print "ok" or "FAIL" and go on; finish() exits 1 if any
# failed.  A check preceded by `known_failure "why"` that fails is reported
# as KNOWN FAILURE and does not fail the test (and says so when it starts
# passing).
#
# Exit status 77 (CTest SKIP_RETURN_CODE): coap-client-gnutls, openssl or
# python3 is missing (scripts/deps.sh installs them).

set -uo pipefail

LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(cd "$LIB_DIR/../.." && pwd)

# JSON paths (see expect_json_field) start with one of these.
MS="ietf-dots-signal-channel:mitigation-scope"
SC="ietf-dots-signal-channel:signal-config"

COAP_CLIENT=${COAP_CLIENT:-coap-client-gnutls}
COAP_TIMEOUT=${COAP_TIMEOUT:-5}		# seconds to wait for a response
SCHEME=coaps				# or coaps+tcp
TRANSPORT=dtls				# of dotsd: dtls, tls or both

T=
DOTSD=
CODEC=
DOTSD_PID=
DOTSD_PORT=
BG_PIDS=()
CHECKS=0
FAILS=0
KNOWN_FAILS=0
KNOWN=
REQ_SEQ=0
CODE=
BODY=
MAXAGE=
CLIENT=
CUID=
CERT=
KEY=
PSK_ID=
PSK_KEY=
declare -A CUIDS=()

log() {
	printf '%s\n' "$*"
}

die() {
	printf 'ERROR: %s\n' "$*" >&2
	FAILS=$((FAILS + 1))
	exit 1
}

skip() {
	printf 'SKIP: %s\n' "$*"
	exit 77
}

# --- set-up and clean-up ---------------------------------------------------

lib_cleanup() {
	local rc=$? pid
	trap - EXIT INT TERM HUP
	for pid in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do
		kill "$pid" 2>/dev/null
	done
	if [ -n "$DOTSD_PID" ]; then
		kill -KILL "$DOTSD_PID" 2>/dev/null
		wait "$DOTSD_PID" 2>/dev/null
		DOTSD_PID=
	fi
	for pid in "${BG_PIDS[@]+"${BG_PIDS[@]}"}"; do
		wait "$pid" 2>/dev/null
	done
	if [ -n "$T" ] && [ -d "$T" ]; then
		if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] && [ -f "$T/dotsd.log" ]
		then
			log "--- last lines of dotsd.log ---"
			tail -n 40 "$T/dotsd.log"
		fi
		if [ "${KEEP_TMP:-0}" = 1 ]; then
			log "kept $T"
		else
			rm -rf "$T"
		fi
	fi
	exit "$rc"
}

# lib_init DOTSD DOTS_CODEC: check the tools, make $T and the certificates
# of client1, client2 (both configured by the tests that want them) and
# rogue (signed by the same CA, configured by none).
lib_init() {
	[ $# -eq 2 ] || die "usage: $0 DOTSD DOTS_CODEC"
	DOTSD=$1
	CODEC=$2
	[ -x "$DOTSD" ] || die "$DOTSD: not an executable"
	[ -x "$CODEC" ] || die "$CODEC: not an executable"
	command -v "$COAP_CLIENT" >/dev/null 2>&1 ||
	    skip "$COAP_CLIENT not found (Debian: libcoap3-bin)"
	command -v openssl >/dev/null 2>&1 || skip "openssl not found"
	command -v python3 >/dev/null 2>&1 || skip "python3 not found"

	T=$(mktemp -d "${TMPDIR:-/tmp}/dots-it.XXXXXX") ||
	    die "cannot make a temporary directory"
	trap lib_cleanup EXIT
	trap 'exit 130' INT TERM HUP

	local out line
	out=$("$SRC_DIR/scripts/dots-certs.sh" "$T/certs" client1 client2 \
	    rogue 2>&1) || die "dots-certs.sh failed: $out"
	while IFS= read -r line; do
		if [[ $line =~ ^client\ ([^:]+):\ cuid\ ([A-Za-z0-9_-]+)$ ]]
		then
			CUIDS[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
		fi
	done <<<"$out"
	[ -n "${CUIDS[client1]:-}" ] && [ -n "${CUIDS[rogue]:-}" ] ||
	    die "no cuid in the output of dots-certs.sh: $out"
	log "temporary directory $T"
}

# client_block NAME [LINES...]: a client block identified by its CN, with
# a generous max-rate unless LINES set one.
client_block() {
	local name=$1 body="identity \"cn:$1\""
	shift
	case " $* " in
	*max-rate*) ;;
	*) body="$body; max-rate 1000" ;;
	esac
	for l in "$@"; do
		body="$body; $l"
	done
	printf 'client "%s" { %s }\n' "$name" "$body"
}

# dotsd_conf [TEXT]: write $T/dotsd.conf, the common settings followed by
# TEXT (client blocks, other keywords).  ABT sets active-but-terminating
# (default 2 s), TRANSPORT the transport.  The port is filled in by
# start_dotsd.
dotsd_conf() {
	cat >"$T/dotsd.conf.in" <<EOF
# written by tests/integration/lib.sh
listen 127.0.0.1 @PORT@
transport $TRANSPORT
ca-file "$T/certs/ca.pem"
cert-file "$T/certs/server.pem"
key-file "$T/certs/server-key.pem"
database "$T/dotsd.db"
control-socket "$T/dotsd.sock"
log-level debug
active-but-terminating ${ABT:-2}
mitigator "log" {
	type log
	file "$T/mitigator.log"
}
${1:-}
EOF
}

# A port free for both UDP and TCP, since dotsd may listen on both.
free_udp_port() {
	python3 -c 'import socket
for _ in range(50):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    port = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.bind(("127.0.0.1", port))
    except OSError:
        continue
    print(port)
    break'
}

# start_dotsd: start dotsd in the foreground (-d) in the background of
# this shell, on DOTSD_PORT (a free port chosen the first time; the same
# port again after a stop, so that a restart looks like one), and wait
# until it listens.
start_dotsd() {
	local try i from
	[ -z "$DOTSD_PID" ] || die "start_dotsd: dotsd already running"
	for try in 1 2 3 4 5; do
		[ -n "$DOTSD_PORT" ] || DOTSD_PORT=$(free_udp_port)
		sed "s/@PORT@/$DOTSD_PORT/" "$T/dotsd.conf.in" >"$T/dotsd.conf"
		from=1
		[ ! -f "$T/dotsd.log" ] ||
		    from=$(($(wc -l <"$T/dotsd.log") + 1))
		"$DOTSD" -d -f "$T/dotsd.conf" >>"$T/dotsd.log" 2>&1 &
		DOTSD_PID=$!
		for i in $(seq 1 100); do
			if tail -n +"$from" "$T/dotsd.log" |
			    grep -q 'dotsd started'; then
				log "dotsd started (pid $DOTSD_PID, port" \
				    "$DOTSD_PORT)"
				return 0
			fi
			kill -0 "$DOTSD_PID" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$DOTSD_PID" 2>/dev/null; then
			die "dotsd did not start within 10 s"
		fi
		wait "$DOTSD_PID" 2>/dev/null
		DOTSD_PID=
		if tail -n +"$from" "$T/dotsd.log" | grep -q 'cannot listen'
		then
			DOTSD_PORT=	# taken meanwhile: another one
			continue
		fi
		tail -n +"$from" "$T/dotsd.log" >&2
		die "dotsd exited at start"
	done
	die "dotsd: no free port after 5 tries"
}

# reload_dotsd: write dotsd.conf again from what dotsd_conf wrote last (on
# the same port), send SIGHUP and wait until dotsd says it reloaded.
reload_dotsd() {
	local before i
	[ -n "$DOTSD_PID" ] || die "reload_dotsd: dotsd is not running"
	sed "s/@PORT@/$DOTSD_PORT/" "$T/dotsd.conf.in" >"$T/dotsd.conf"
	before=$(grep -c 'configuration reloaded' "$T/dotsd.log")
	kill -HUP "$DOTSD_PID"
	for i in $(seq 1 50); do
		[ "$(grep -c 'configuration reloaded' "$T/dotsd.log")" -gt \
		    "$before" ] && return 0
		sleep 0.1
	done
	die "dotsd did not reload within 5 s"
}

# dotsd_dead: status 0 (and a FAIL) if dotsd exited on its own since
# start_dotsd, e.g. after a sanitizer report.
dotsd_dead() {
	local rc
	[ -n "$DOTSD_PID" ] && ! kill -0 "$DOTSD_PID" 2>/dev/null || return 1
	wait "$DOTSD_PID" 2>/dev/null
	rc=$?
	DOTSD_PID=
	fail "dotsd died during the test (exit status $rc; see dotsd.log)"
	return 0
}

# stop_dotsd: SIGTERM, and check that dotsd exits cleanly (status 0) soon.
stop_dotsd() {
	local i rc
	[ -n "$DOTSD_PID" ] || return 0
	dotsd_dead && return 0
	kill -TERM "$DOTSD_PID"
	for i in $(seq 1 50); do
		kill -0 "$DOTSD_PID" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$DOTSD_PID" 2>/dev/null; then
		kill -KILL "$DOTSD_PID"
		wait "$DOTSD_PID" 2>/dev/null
		DOTSD_PID=
		check "dotsd exits within 5 s of SIGTERM" false
		return
	fi
	wait "$DOTSD_PID"
	rc=$?
	DOTSD_PID=
	check "dotsd exits with status 0 on SIGTERM (got $rc)" test "$rc" -eq 0
}

# kill_dotsd: SIGKILL, as a crash.
kill_dotsd() {
	[ -n "$DOTSD_PID" ] || return 0
	dotsd_dead && return 0
	kill -KILL "$DOTSD_PID"
	wait "$DOTSD_PID" 2>/dev/null
	DOTSD_PID=
	log "dotsd killed (SIGKILL)"
}

# --- requests --------------------------------------------------------------

# as_client NAME: later requests use NAME's certificate and cuid.
as_client() {
	CLIENT=$1
	CUID=${CUIDS[$1]:-}
	CERT="$T/certs/$1.pem"
	KEY="$T/certs/$1-key.pem"
	PSK_ID=
	PSK_KEY=
	[ -n "$CUID" ] && [ -f "$CERT" ] || die "as_client: no client $1"
}

# psk_cuid IDENTITY: the cuid of a PSK client (RFC 9132 section 4.4.1.1:
# SHA-256 of the PSK identity, first 16 bytes, base64url without padding).
psk_cuid() {
	python3 -c 'import base64, hashlib, sys
d = hashlib.sha256(sys.argv[1].encode()).digest()[:16]
print(base64.urlsafe_b64encode(d).decode().rstrip("="))' "$1"
}

# as_psk_client NAME IDENTITY KEY: later requests use a PSK handshake with
# IDENTITY and KEY (text, as coap-client -u and -k take them) and the cuid
# of IDENTITY.  NAME is only for the transcript.
as_psk_client() {
	CLIENT=$1
	PSK_ID=$2
	PSK_KEY=$3
	CUID=$(psk_cuid "$2")
	CERT=
	KEY=
}

# The coap-client options that present the current client's credentials.
client_creds() {
	if [ -n "$PSK_ID" ]; then
		CREDS=(-u "$PSK_ID" -k "$PSK_KEY")
	else
		CREDS=(-c "$CERT" -j "$KEY" -C "$T/certs/ca.pem")
	fi
}

# Parse a coap-client -v 6 transcript (stdout) into one line per response
# PDU: "CODE|MAXAGE|KIND|DATA" (| is \x1f, not whitespace, so empty fields
# stay fields) with KIND hex (binary payload,
# DATA its hex), text (DATA the text) or none.  Requests (c:GET ...) and
# empty ACKs (c:0.00) are left out.
parse_transcript() {
	python3 - "$1" <<'EOF'
import re, sys
lines = open(sys.argv[1], encoding="utf-8", errors="replace").read().split("\n")
pdu = re.compile(r"^v:1 t:(CON|NON|ACK|RST) c:(\d\.\d\d) ")
for i, l in enumerate(lines):
    m = pdu.match(l)
    if not m or m.group(2) == "0.00":
        continue
    ma = re.search(r"Max-Age:(\d+)", l)
    kind, data = "none", ""
    if " :: binary data length" in l:
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        h = re.match(r"^<<([0-9a-fA-F]*)>>", nxt)
        kind, data = "hex", h.group(1) if h else ""
    elif " :: '" in l:
        kind = "text"
        data = l[l.index(" :: '") + 5:]
        data = data[:-1] if data.endswith("'") else data
    print("\x1f".join([m.group(2), ma.group(1) if ma else "", kind, data]))
EOF
}

# decode_hex HEX: the JSON of a CBOR body, or "<not CBOR: HEX>".
decode_hex() {
	local json
	if json=$(printf '%s' "$1" | "$CODEC" cbor2json - 2>/dev/null); then
		printf '%s' "$json"
	else
		printf '<not CBOR: %s>' "$1"
	fi
}

# coap_req METHOD PATH [coap-client options...]: one request to
# /.well-known/dots/PATH (PATH may carry ?query) as the current client.
coap_req() {
	local method=$1 path=$2 base rec code maxage kind data
	shift 2
	REQ_SEQ=$((REQ_SEQ + 1))
	base="$T/req.$REQ_SEQ"
	rm -f "$base.body"
	client_creds
	"$COAP_CLIENT" -v 6 -B "$COAP_TIMEOUT" -m "$method" \
	    "${CREDS[@]}" -o "$base.body" "$@" \
	    "$SCHEME://127.0.0.1:$DOTSD_PORT/.well-known/dots/$path" \
	    >"$base.out" 2>"$base.err" </dev/null
	rec=$(parse_transcript "$base.out" | head -n 1)
	CODE=none BODY= MAXAGE=
	if [ -n "$rec" ]; then
		IFS=$'\x1f' read -r code maxage kind data <<<"$rec"
		CODE=$code
		MAXAGE=$maxage
		case $kind in
		hex)
			# the whole body, reassembled if it came in blocks
			if [ "${CODE%%.*}" = 2 ] && [ -s "$base.body" ]; then
				data=$(od -An -v -tx1 "$base.body" |
				    tr -d ' \n')
			fi
			BODY=$(decode_hex "$data")
			;;
		text) BODY=$data ;;
		esac
	fi
	if [ "$CODE" = none ] && [ -n "$DOTSD_PID" ] &&
	    ! kill -0 "$DOTSD_PID" 2>/dev/null; then
		BODY="(dotsd is not running)"
	fi
	log "  [$CLIENT${SCHEME#coaps}] $method /$path -> $CODE${BODY:+ $BODY}"
}

# put_cbor PATH FILE [options...]: PUT the CBOR in FILE (Content-Format
# 271 unless the options give -t).
put_cbor() {
	local path=$1 file=$2 t=(-t 271)
	shift 2
	case " $* " in
	*" -t "*) t=() ;;
	esac
	coap_req put "$path" "${t[@]+"${t[@]}"}" -f "$file" "$@"
}

# json2cbor JSON FILE: encode with dots-codec; dies if it refuses.
json2cbor() {
	printf '%s' "$1" | "$CODEC" --binary json2cbor - >"$2" ||
	    die "dots-codec refused the JSON: $1"
}

# put_json MID JSON [options...]: PUT a mitigation request of the current
# client; MID empty means no mid in the path.
put_json() {
	local mid=$1 json=$2 path="mitigate/cuid=$CUID"
	shift 2
	[ -z "$mid" ] || path="$path/mid=$mid"
	REQ_SEQ=$((REQ_SEQ + 1))
	json2cbor "$json" "$T/put.$REQ_SEQ.cbor"
	put_cbor "$path" "$T/put.$REQ_SEQ.cbor" "$@"
}

# put_path_json PATH JSON [options...]: PUT JSON (as CBOR) to any path.
put_path_json() {
	local path=$1 json=$2
	shift 2
	REQ_SEQ=$((REQ_SEQ + 1))
	json2cbor "$json" "$T/put.$REQ_SEQ.cbor"
	put_cbor "$path" "$T/put.$REQ_SEQ.cbor" "$@"
}

# get PATH [options...]
get() {
	local path=$1
	shift
	coap_req get "$path" "$@"
}

# get_mit [MID] [QUERY]: GET one mitigation of the current client, or all.
get_mit() {
	local path="mitigate/cuid=$CUID"
	[ -z "${1:-}" ] || path="$path/mid=$1"
	[ -z "${2:-}" ] || path="$path?$2"
	get "$path"
}

# delete MID: DELETE a mitigation of the current client.
delete() {
	coap_req delete "mitigate/cuid=$CUID/mid=$1"
}

# mit_json PREFIX LIFETIME [EXTRA]: a mitigation request body for one
# target-prefix; EXTRA is more members of the scope, e.g. '"x": 1'.
mit_json() {
	printf '{"%s":{"scope":[{"target-prefix":["%s"],"lifetime":%s%s}]}}' \
	    "$MS" "$1" "$2" "${3:+,$3}"
}

# --- Observe ---------------------------------------------------------------

# observe_start NAME SECONDS PATH: GET PATH with Observe for SECONDS in the
# background (transcript $T/obs.NAME.out); returns when the first response
# (the registration's 2.05, or an error) is in.
observe_start() {
	local name=$1 secs=$2 path=$3 i
	client_creds
	# line-buffered, so that the transcript grows as responses come
	stdbuf -oL "$COAP_CLIENT" -v 6 -s "$secs" -B $((secs + 5)) -m get \
	    "${CREDS[@]}" -o "$T/obs.$name.body" \
	    "$SCHEME://127.0.0.1:$DOTSD_PORT/.well-known/dots/$path" \
	    >"$T/obs.$name.out" 2>"$T/obs.$name.err" </dev/null &
	BG_PIDS+=($!)
	eval "OBS_PID_$name=$!"
	for i in $(seq 1 50); do
		[ -n "$(parse_transcript "$T/obs.$name.out")" ] && return 0
		sleep 0.1
	done
	die "observe $name: no first response within 5 s"
}

# observe_wait NAME: wait for the observer to finish.
observe_wait() {
	local pid
	eval "pid=\$OBS_PID_$1"
	wait "$pid" 2>/dev/null
}

# observe_responses NAME: every response received so far, one a line:
# "CODE JSON" (JSON, or the text, or nothing).
observe_responses() {
	local code maxage kind data
	parse_transcript "$T/obs.$1.out" |
	    while IFS=$'\x1f' read -r code maxage kind data; do
		case $kind in
		hex) printf '%s %s\n' "$code" "$(decode_hex "$data")" ;;
		*) printf '%s %s\n' "$code" "$data" ;;
		esac
	    done
}

# --- JSON ------------------------------------------------------------------

# json_query JSON PATH: print the value at PATH, a dot-separated list of
# object keys, list indexes (0, 1, ...) and mid=N (the element of a list
# whose "mid" is N).  Strings print as they are, other values as compact
# JSON.  Status 1 if the path does not exist, 2 if JSON is not JSON.
json_query() {
	python3 - "$1" "$2" <<'EOF'
import json, sys
try:
    v = json.loads(sys.argv[1])
except ValueError:
    sys.exit(2)
for part in sys.argv[2].split(".") if sys.argv[2] else []:
    if isinstance(v, dict) and part in v:
        v = v[part]
    elif isinstance(v, list) and part.isdigit() and int(part) < len(v):
        v = v[int(part)]
    elif isinstance(v, list) and part.startswith("mid="):
        hit = [e for e in v if isinstance(e, dict) and
               str(e.get("mid")) == part[4:]]
        if len(hit) != 1:
            sys.exit(1)
        v = hit[0]
    else:
        sys.exit(1)
print(v if isinstance(v, str) else json.dumps(v, separators=(",", ":")))
EOF
}

# json_field PATH: json_query on BODY.
json_field() {
	json_query "$BODY" "$1"
}

# json_len PATH: the number of elements at PATH in BODY (0 if absent).
json_len() {
	local v
	v=$(json_field "$1") || {
		echo 0
		return
	}
	python3 -c 'import json, sys; print(len(json.loads(sys.argv[1])))' "$v"
}

# --- checks ----------------------------------------------------------------

# known_failure WHY: the next check is expected to fail (a bug reported,
# not fixed yet).
known_failure() {
	KNOWN=$1
}

pass() {
	CHECKS=$((CHECKS + 1))
	if [ -n "$KNOWN" ]; then
		log "ok   $* (was a KNOWN FAILURE: $KNOWN; now passes," \
		    "remove the known_failure)"
		KNOWN=
		return
	fi
	log "ok   $*"
}

fail() {
	CHECKS=$((CHECKS + 1))
	if [ -n "$KNOWN" ]; then
		KNOWN_FAILS=$((KNOWN_FAILS + 1))
		log "KNOWN FAILURE $* [$KNOWN]"
		KNOWN=
		return
	fi
	FAILS=$((FAILS + 1))
	log "FAIL $*"
}

# check DESCRIPTION COMMAND...: pass if COMMAND succeeds (its output is
# thrown away).
check() {
	local desc=$1
	shift
	if "$@" >/dev/null 2>&1; then
		pass "$desc"
	else
		fail "$desc"
	fi
}

# expect_code WANT [WHAT]
expect_code() {
	if [ "$CODE" = "$1" ]; then
		pass "${2:-response} is $1"
	else
		fail "${2:-response}: want $1, got $CODE${BODY:+ ($BODY)}"
	fi
}

# expect_json_field PATH WANT: the value at PATH in BODY (see json_query)
# is WANT; WANT "<absent>" means PATH must not exist, "<present>" that it
# must.
expect_json_field() {
	local path=$1 want=$2 got rc
	got=$(json_field "$path")
	rc=$?
	case $want in
	"<absent>")
		if [ $rc -eq 1 ]; then
			pass "$path absent"
		else
			fail "$path: want absent, got ${got:-<not JSON>}" \
			    "in $BODY"
		fi
		;;
	"<present>")
		if [ $rc -eq 0 ]; then
			pass "$path present ($got)"
		else
			fail "$path: want present, absent in $BODY"
		fi
		;;
	*)
		if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then
			pass "$path = $want"
		else
			fail "$path: want $want, got" \
			    "${got:-<absent>} in ${BODY:-<empty body>}"
		fi
		;;
	esac
}

# expect_body_contains TEXT: BODY (e.g. a diagnostic) contains TEXT.
expect_body_contains() {
	case $BODY in
	*"$1"*) pass "body mentions \"$1\"" ;;
	*) fail "body should mention \"$1\": ${BODY:-<empty body>}" ;;
	esac
}

# expect_body_nonempty: a diagnostic is there.
expect_body_nonempty() {
	if [ -n "$BODY" ]; then
		pass "diagnostic: $BODY"
	else
		fail "no diagnostic payload"
	fi
}

# wait_until SECONDS COMMAND...: run COMMAND every 0.2 s until it succeeds
# or SECONDS pass.  Status 0 or 1.
wait_until() {
	local secs=$1 i
	shift
	for i in $(seq 1 $((secs * 5))); do
		"$@" && return 0
		sleep 0.2
	done
	"$@"
}

# status_is MID LABEL: GET MID of the current client shows status LABEL.
status_is() {
	get_mit "$1" >/dev/null
	[ "$CODE" = 2.05 ] && [ "$(json_field "$MS.scope.0.status")" = "$2" ]
}

# --- the log mitigator's file ----------------------------------------------

# mitlog_lines [ACTION [MID [CLIENT]]]: lines of mitigator.log, as
# "ACTION ID CLIENT MID", filtered.
mitlog_lines() {
	[ -f "$T/mitigator.log" ] || return 0
	python3 - "$T/mitigator.log" "${1:-}" "${2:-}" "${3:-}" <<'EOF'
import json, sys
path, action, mid, client = sys.argv[1:5]
for line in open(path, encoding="utf-8"):
    parts = line.rstrip("\n").split(" ", 3)
    if len(parts) != 4:
        print("UNPARSABLE " + line.strip())
        continue
    m = json.loads(parts[3])
    if "mid" not in m:
        continue    # an ACL (acllog_count)
    if action and parts[2] != action:
        continue
    if mid and str(m["mid"]) != mid:
        continue
    if client and m["client"] != client:
        continue
    print(parts[2], m["id"], m["client"], m["mid"])
EOF
}

# acllog_count ACTION ACL-NAME: lines of mitigator.log that apply or
# withdraw the data-channel ACL of that name.
acllog_count() {
	[ -f "$T/mitigator.log" ] || { echo 0; return 0; }
	python3 - "$T/mitigator.log" "$1" "$2" <<'EOF'
import json, sys
path, action, name = sys.argv[1:4]
n = 0
for line in open(path, encoding="utf-8"):
    parts = line.rstrip("\n").split(" ", 3)
    if len(parts) == 4 and parts[2] == action:
        acl = json.loads(parts[3]).get("acl")
        n += acl is not None and acl.get("name") == name
print(n)
EOF
}

# mitlog_count ACTION MID [CLIENT]
mitlog_count() {
	mitlog_lines "$@" | wc -l
}

# expect_applied_then_withdrawn MID [CLIENT]: every mitigation id with this
# mid in the log has exactly one apply and, after it, one withdraw.
expect_applied_then_withdrawn() {
	local out
	out=$(mitlog_lines "" "$1" "${2:-}" | python3 -c '
import sys
seen = {}
for l in sys.stdin:
    action, ident = l.split()[:2]
    seen.setdefault(ident, []).append(action)
bad = {i: a for i, a in seen.items() if a != ["apply", "withdraw"]}
if not seen or bad:
    print(bad or "no lines")
    sys.exit(1)
')
	if [ $? -eq 0 ]; then
		pass "mitigator.log: mid $1 applied, then withdrawn"
	else
		fail "mitigator.log: mid $1: want apply then withdraw, got" \
		    "$out"
	fi
}

# --- the end ---------------------------------------------------------------

# finish: dotsd must not have reported a sanitizer error; summary; exit.
finish() {
	stop_dotsd
	if grep -Eq 'AddressSanitizer|LeakSanitizer|runtime error:' \
	    "$T/dotsd.log" 2>/dev/null; then
		grep -E -A 20 'AddressSanitizer|LeakSanitizer|runtime error:' \
		    "$T/dotsd.log" | head -n 60
		fail "dotsd.log has a sanitizer report"
	fi
	log "$CHECKS checks, $FAILS failed, $KNOWN_FAILS known failures"
	[ "$FAILS" -eq 0 ] || exit 1
	exit 0
}
