# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# The data channel's part of the integration tests, on top of lib.sh:
# dotsd with its data channel (RFC 8783) on a free loopback TCP port,
# driven with curl, an HTTP client independent of ours, over mutual TLS
# with the certificates lib.sh makes.  Sourced after lib.sh.
#
#	dc_conf "$(client_block client1 'prefix 192.0.2.0/24')"
#	start_dotsd
#	as_client client1
#	dc_req POST "" "$VEC/rfc8783-register.json"
#	expect_http 201
#
# dc_req METHOD PATH [BODY-FILE] [curl options...] sends one request to
# /restconf/data/ietf-dots-data-channel:dots-data/PATH (PATH "" is
# dots-data itself; a PATH starting with / is taken as is) as the
# current client and sets
#	HTTP	the status ("201", ...) or "none" when no answer came
#	BODY	the response body
#	HDRS	the response headers
# Every JSON body received is validated (dc_validate): with yanglint
# against yang/ (the official modules and opendots-deviations) for data,
# and for ietf-restconf:errors bodies against the structure of RFC 8040
# section 7.1 (yanglint cannot load rc:yang-data; the unit test
# test_datachan_rest validates them with libyang's extension API).

DC=/restconf/data/ietf-dots-data-channel:dots-data
VEC="$SRC_DIR/tests/vectors/data-channel"
OFFLOAD="$SRC_DIR/tests/vectors/offload-draft"
YANG="$SRC_DIR/yang"
DC_PORT=
HTTP=
HDRS=
DC_CT="Content-Type: application/yang-data+json"

dc_tools() {
	command -v curl >/dev/null 2>&1 || skip "curl not found"
	command -v yanglint >/dev/null 2>&1 ||
	    skip "yanglint not found (Debian: libyang2-tools)"
}

# dc_conf [TEXT]: dotsd_conf with the data channel on.
dc_conf() {
	dc_tools
	[ -n "$DC_PORT" ] || DC_PORT=$(free_udp_port)
	dotsd_conf "data-channel-listen 127.0.0.1 $DC_PORT
data-channel-yang-dir \"$YANG\"
data-channel-lifetime ${DC_LIFETIME:-604800}
${1:-}"
}

dc_req() {
	local method=$1 path=$2 file=${3:-} base url
	shift 3 2>/dev/null || shift $#
	REQ_SEQ=$((REQ_SEQ + 1))
	base="$T/dc.$REQ_SEQ"
	case $path in
	/*) url=$path ;;
	"") url=$DC ;;
	*) url="$DC/$path" ;;
	esac
	local data=()
	[ -z "$file" ] || data=(--data-binary "@$file" -H "$DC_CT")
	HTTP=$(curl -sS -g --max-time 10 --cacert "$T/certs/ca.pem" \
	    --cert "$CERT" --key "$KEY" -X "$method" \
	    "${data[@]+"${data[@]}"}" "$@" -D "$base.hdrs" -o "$base.body" \
	    -w '%{http_code}' "https://127.0.0.1:$DC_PORT$url" \
	    2>"$base.err")
	[ -n "$HTTP" ] && [ "$HTTP" != 000 ] || HTTP=none
	BODY=$(cat "$base.body" 2>/dev/null)
	HDRS=$(cat "$base.hdrs" 2>/dev/null)
	log "  [$CLIENT] $method $url${file:+ <$(basename "$file")} -> $HTTP"
	[ -z "$BODY" ] || dc_validate "$url" "$base.body"
}

expect_http() {
	if [ "$HTTP" = "$1" ]; then
		pass "${2:-response} is $1"
	else
		fail "${2:-response}: want $1, got $HTTP${BODY:+ ($BODY)}"
	fi
}

# expect_error STATUS TAG [TEXT]: an ietf-restconf:errors answer.
expect_error() {
	expect_http "$1" "${4:-error}"
	expect_json_field "ietf-restconf:errors.error.0.error-tag" "$2"
	[ -z "${3:-}" ] || expect_body_contains "$3"
}

expect_header() {
	case $HDRS in
	*"$1"*) pass "header \"$1\"" ;;
	*) fail "no header \"$1\" in: $HDRS" ;;
	esac
}

# dc_validate URL FILE: the body of an answer to URL is valid.
dc_validate() {
	local url=$1 file=$2 out
	case $(head -c 200 "$file") in
	*"<XRD"*) return 0 ;;
	esac
	if ! out=$(python3 - "$url" "$file" "$T/dc.doc.json" "$CUID" \
	    2>&1 <<'PYEOF'
import json, sys
url, path, doc_path, cuid = sys.argv[1:5]
body = json.load(open(path))
M = "ietf-dots-data-channel"
if "ietf-restconf:errors" in body:
    errs = body["ietf-restconf:errors"]
    assert list(body) == ["ietf-restconf:errors"], "extra members"
    assert list(errs) == ["error"] and len(errs["error"]) >= 1
    for e in errs["error"]:
        assert e["error-type"] in ("transport", "rpc", "protocol",
                                   "application"), e
        assert isinstance(e["error-tag"], str) and e["error-tag"], e
        assert set(e) <= {"error-type", "error-tag", "error-app-tag",
                          "error-path", "error-message", "error-info"}, e
    print("errors")
    sys.exit(0)
(top, val), = body.items()
name = top.split(":", 1)[1]
if name == "dots-data":
    doc = body
elif name == "capabilities":
    doc = {M + ":dots-data": {"capabilities": val}}
elif name == "dots-client":
    doc = {M + ":dots-data": {"dots-client": val}}
elif name in ("aliases", "acls"):
    doc = {M + ":dots-data": {"dots-client": [{"cuid": cuid, name: val}]}}
else:
    raise SystemExit("unexpected top-level member " + top)
# RFC 8783's derived-from() on the ipv4/ipv6 matches means
# derived-from-or-self() (opendots-deviations.yang): in this scratch copy
# only, the exact types become the official identities derived from them.
sub = {"ietf-access-control-list:ipv4-acl-type":
       "ietf-access-control-list:mixed-eth-ipv4-acl-type",
       "ietf-access-control-list:ipv6-acl-type":
       "ietf-access-control-list:mixed-eth-ipv6-acl-type"}
for c in doc[M + ":dots-data"].get("dots-client", []):
    for acl in c.get("acls", {}).get("acl", []):
        if acl.get("type") in sub:
            acl["type"] = sub[acl["type"]]
json.dump(doc, open(doc_path, "w"))
print("data")
PYEOF
	); then
		fail "response to $url is not well-formed: $out"
		return
	fi
	[ "$out" = data ] || { pass "error body well-formed"; return; }
	if out=$(yanglint -t data -p "$YANG" \
	    "$YANG"/ietf-dots-data-channel@2020-05-28.yang \
	    "$YANG"/ietf-access-control-list@2019-03-04.yang \
	    "$YANG"/opendots-deviations@*.yang "$T/dc.doc.json" 2>&1); then
		pass "yanglint validates the response to $url"
	else
		fail "yanglint: response to $url: $out"
	fi
}
