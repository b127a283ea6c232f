#!/usr/bin/env bash
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Interop test interop_yang_signal_json: the JSON that OUR encoder emits for
# every signal-channel vector must validate against the official YANG
# modules, as judged by libyang (an independent implementation).
#
#   yang_signal_json.sh DOTS_CODEC DOTS_SX_VALIDATE YANGDIR VECTORSDIR SCRATCH
#
# For each vectors/rfc/*.json and vectors/offload-draft/offload-signal-*.json:
#
#   1. JSON -> CBOR -> JSON through dots-codec
#      (`dots-codec --lenient json2cbor F | dots-codec cbor2json -`), so that
#      what is validated is our JSON encoder's output from our CBOR.
#   2. The RFC 9132 case-name wrapper ("ietf-dots-signal-channel:
#      mitigation-scope", signal-config, redirected-signal, heartbeat) is
#      removed: it is a choice case in the sx:structure, not a data node.
#   3. Every top-level member becomes its own document, and every entry of
#      a top-level list or leaf-list ("scope", "alt-server-record") too:
#      libyang 2.1.30 loops forever on a second top-level sibling in
#      structure data (see dots_sx_validate.c).
#   4. Each document is validated with dots_sx_validate against
#      ietf-dots-signal-channel:dots-signal, with ietf-dots-call-home,
#      ietf-dots-signal-control and ietf-dots-robust-trans implemented, on a
#      validation-only copy of the modules (mk_lint_shim.py; yang/ is never
#      touched).
#
# One PASS/FAIL/XFAIL line per document and per vector.  Known libyang
# limitations are listed in XFAIL below, with the libyang message they must
# produce: an XFAIL document that validates, or fails with another message,
# fails the test, so the list stays honest.  Negative controls (wrong bodies
# made from our own output) must be rejected with the expected message, so
# that the test cannot pass vacuously.
#
# Not checked because libyang 2.1.30 does not enforce it in structure data
# (and the split would hide it anyway): constraints between top-level
# siblings, i.e. the mandatory leaves alt-server, alt-ch-client and
# peer-hb-status, and the exclusivity of the message-type cases.
#
# Exit status: 0 all as expected, 1 otherwise, 2 usage or setup error.
set -euo pipefail

if [ $# -ne 5 ]; then
	echo "usage: $0 DOTS_CODEC DOTS_SX_VALIDATE YANGDIR VECTORSDIR SCRATCH" >&2
	exit 2
fi
codec=$1
sxv=$2
yangdir=$3
vectors=$4
scratch=$5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${PYTHON:-python3}

SIG=ietf-dots-signal-channel
MODULES=(ietf-dots-signal-channel ietf-dots-call-home
    ietf-dots-signal-control ietf-dots-robust-trans)

# Documented exceptions, by vector (file name without .json).
#
# XFAIL_REASON   why it cannot validate with this libyang
# XFAIL_MSG      extended regex the libyang error must match
# XFAIL_RENAME   module whose top-level members are renamed to
#                ietf-dots-signal-channel:<name> for a second check, which
#                must pass: libyang then checks our values against the
#                call-home types, and must print the tree back with exactly
#                our member names (it does print ietf-dots-call-home:...).
declare -A XFAIL_REASON XFAIL_MSG XFAIL_RENAME
XFAIL_REASON[rfc9066-fig09-redirect-request]="libyang 2.1.30 does not find\
 the nodes that ietf-dots-call-home's sx:augment-structure adds at the top\
 level of the structure (case redirected-signal) under their own module\
 name: 'ietf-dots-call-home:alt-ch-client', which RFC 7951 and RFC 9066\
 Figure 9 require, is 'not found', while the same node written as\
 'ietf-dots-signal-channel:alt-ch-client' is accepted and printed back as\
 'ietf-dots-call-home:alt-ch-client'.  The call-home augment of 'scope'\
 (not top level) and both robust-trans augments work."
XFAIL_MSG[rfc9066-fig09-redirect-request]='Node "(alt-ch-client|alt-ch-client-record|ttl)" not found in the "dots-signal" structure extension instance'
XFAIL_RENAME[rfc9066-fig09-redirect-request]=ietf-dots-call-home

# Negative controls: "base document|python statement on d|regex of the
# expected libyang error|description".  The base is one of the documents
# made above from our own output.
NEGATIVE=(
	"rfc9132-fig07-mitigation-request.scope|d['$SIG:scope'][0]['target-protocol']=[300]|out of type uint8|target-protocol 300"
	"rfc9132-fig07-mitigation-request.scope|d['$SIG:scope'][0]['x-unknown']=1|Node \"x-unknown\" not found as a child of \"scope\"|unknown member in scope"
	"rfc9133-fig08-mitigation-request-activate-acl.scope|d['$SIG:scope'][0]['ietf-dots-signal-control:acl-list'][0]['activation-type']='bogus'|Invalid enumeration value \"bogus\"|signal-control activation-type 'bogus'"
	"offload-signal-call-home-src-port.scope|d['$SIG:scope'][0]['ietf-dots-call-home:source-port-range'][0]['upper-port']=1|must be greater than|call-home source-port-range upper-port < lower-port"
	"rfc9362-fig02-config-put-request.idle-config|d['$SIG:idle-config']['ietf-dots-robust-trans:non-timeout']['current-value-decimal']='2.001'|exceeds defined number \\(2\\) of fraction digits|robust-trans idle-config non-timeout '2.001'"
	"rfc9132-fig27-heartbeat-request.peer-hb-status|d['$SIG:peer-hb-status']='yes'|boolean value \"yes\"|peer-hb-status 'yes'"
)

# Python helpers: split, mutate, rename, same.
read -r -d '' PYHELPER <<'EOF' || true
import json, os, sys

SIG = 'ietf-dots-signal-channel'
CASES = ('mitigation-scope', 'signal-config', 'redirected-signal', 'heartbeat')

def load(path):
    def no_dups(pairs):
        keys = [k for k, _ in pairs]
        dup = sorted({k for k in keys if keys.count(k) > 1})
        if dup:
            sys.exit('duplicate member(s) %s in %s' % (dup, path))
        return dict(pairs)
    try:
        with open(path) as fh:
            return json.load(fh, object_pairs_hook=no_dups)
    except ValueError as e:
        sys.exit('%s: not JSON: %s' % (path, e))

def dump(doc, path):
    with open(path, 'w') as fh:
        json.dump(doc, fh, indent=1)
        fh.write('\n')

cmd = sys.argv[1]
if cmd == 'split':
    # split SRC OUTDIR TAG: prints "name path" per document
    src, outdir, tag = sys.argv[2:5]
    doc = load(src)
    if not isinstance(doc, dict) or len(doc) != 1:
        sys.exit('expected one top-level member, got %s' % list(doc))
    (key, body), = doc.items()
    mod, _, case = key.partition(':')
    if mod != SIG or case not in CASES or not isinstance(body, dict):
        sys.exit('unexpected top-level member %s' % key)
    for k, v in body.items():
        qk = k if ':' in k else SIG + ':' + k
        short = qk.split(':', 1)[1]
        if isinstance(v, list) and len(v) > 1:
            parts = [('%s[%d]' % (short, i), [e]) for i, e in enumerate(v)]
        else:
            parts = [(short, v)]
        for name, val in parts:
            fname = name.replace('[', '-').replace(']', '')
            path = os.path.join(outdir, '%s.%s.json' % (tag, fname))
            dump({qk: val}, path)
            print(name, path)
elif cmd == 'mutate':
    # mutate SRC DST STATEMENT
    src, dst, stmt = sys.argv[2:5]
    d = load(src)
    exec(stmt)
    dump(d, dst)
elif cmd == 'rename':
    # rename SRC DST MODULE: top-level MODULE:x -> ietf-dots-signal-channel:x
    src, dst, mod = sys.argv[2:5]
    d = load(src)
    dump({(SIG + k[len(mod):] if k.startswith(mod + ':') else k): v
          for k, v in d.items()}, dst)
elif cmd == 'same':
    # same OURS PRINTED: libyang's printed tree has our member names/values
    ours = load(sys.argv[2])
    with open(sys.argv[3]) as fh:
        text = fh.read()
    printed = json.loads(text[text.index('{'):])
    if ours != printed:
        sys.exit('libyang printed %s' % json.dumps(printed))
else:
    sys.exit('unknown helper command %s' % cmd)
EOF
py() {
	"$python" -c "$PYHELPER" "$@" </dev/null
}

for f in "$codec" "$sxv"; do
	if [ ! -x "$f" ]; then
		echo "setup: $f is not executable" >&2
		exit 2
	fi
done

rm -rf "$scratch"
mkdir -p "$scratch/docs"
if ! "$python" "$here/mk_lint_shim.py" "$yangdir" "$scratch/shim" \
    >"$scratch/shim.log" 2>&1; then
	cat "$scratch/shim.log" >&2
	echo "setup: mk_lint_shim.py failed" >&2
	exit 2
fi

sxv_args=(-p "$scratch/shim")
for m in "${MODULES[@]}"; do
	sxv_args+=(-m "$m")
done
sxv_args+=(-s "$SIG:dots-signal")

# validate DOC [OPTION]: runs dots_sx_validate, leaves its output without
# the schema warnings (RFC 9132's `when` on conflict-scope, printed at
# every context creation) in $out, returns its exit status.
validate() {
	local doc=$1 rc=0
	shift
	out=$("$sxv" "${sxv_args[@]}" "$@" "$doc" 2>&1 </dev/null) || rc=$?
	out=$(printf '%s\n' "$out" | grep -v 'for parent "<root>" not found' ||
	    true)
	return $rc
}

# The libyang error lines of $out, on one line.
errors() {
	printf '%s\n' "$out" | grep -v -E '^(VALID|INVALID) ' |
	    tr '\n' ' ' | sed 's/ *$//'
}

npass=0
nfail=0
nxfail=0
pass() {
	printf 'PASS  %s\n' "$1"
	npass=$((npass + 1))
}
fail() {
	printf 'FAIL  %s\n' "$1"
	shift
	for l in "$@"; do
		printf '        %s\n' "$l"
	done
	nfail=$((nfail + 1))
}

# An XFAIL document: must fail with the recorded message, and its renamed
# copy must validate and print back as our document.
check_xfail() {
	local tag=$1 name=$2 doc=$3 msg ren
	if validate "$doc"; then
		fail "$tag/$name: XFAIL entry validates now (libyang fixed?):" \
		    "remove $tag from XFAIL in $0"
		return 1
	fi
	if ! printf '%s\n' "$out" | grep -q -E "${XFAIL_MSG[$tag]}"; then
		fail "$tag/$name: fails, but not as recorded in XFAIL" \
		    "libyang: $(errors)"
		return 1
	fi
	msg=$(errors)
	ren=${doc%.json}.renamed.json
	if ! py rename "$doc" "$ren" "${XFAIL_RENAME[$tag]}" ||
	    ! validate "$ren" -o; then
		fail "$tag/$name: renamed copy does not validate" \
		    "libyang: $(errors)"
		return 1
	fi
	printf '%s\n' "$out" >"${ren%.json}.printed.json"
	if ! py same "$doc" "${ren%.json}.printed.json" 2>"$scratch/same.err"; then
		fail "$tag/$name: libyang prints the renamed copy differently" \
		    "$(cat "$scratch/same.err")"
		return 1
	fi
	printf 'XFAIL %s/%s: %s\n' "$tag" "$name" "$msg"
	printf '        values valid, and printed back as ours, once renamed\n'
	nxfail=$((nxfail + 1))
	return 0
}

echo "== signal-channel vectors: our JSON (via our CBOR) against the YANG modules"
shopt -s nullglob
inputs=("$vectors"/rfc/*.json "$vectors"/offload-draft/offload-signal-*.json)
shopt -u nullglob
if [ ${#inputs[@]} -eq 0 ]; then
	echo "setup: no vectors in $vectors" >&2
	exit 2
fi
declare -A seen_xfail
for f in "${inputs[@]}"; do
	tag=$(basename "$f" .json)
	enc=$scratch/docs/$tag.ours.json
	if ! "$codec" --lenient json2cbor "$f" 2>"$scratch/docs/$tag.json2cbor.err" |
	    "$codec" cbor2json - >"$enc" 2>"$scratch/docs/$tag.cbor2json.err"; then
		fail "$tag: dots-codec could not convert it" \
		    "$(cat "$scratch/docs/$tag.json2cbor.err" \
			"$scratch/docs/$tag.cbor2json.err")"
		continue
	fi
	if ! list=$(py split "$enc" "$scratch/docs" "$tag" 2>&1); then
		fail "$tag: cannot split our JSON" "$list"
		continue
	fi
	ndocs=0
	bad=0
	xf=0
	while read -r name doc; do
		[ -n "$name" ] || continue
		ndocs=$((ndocs + 1))
		if [ -n "${XFAIL_REASON[$tag]:-}" ]; then
			seen_xfail[$tag]=1
			if check_xfail "$tag" "$name" "$doc"; then
				xf=$((xf + 1))
			else
				bad=$((bad + 1))
			fi
		elif validate "$doc"; then
			pass "$tag/$name"
		else
			fail "$tag/$name" "libyang: $(errors)" \
			    "ours: $(tr -d '\n' <"$doc")"
			bad=$((bad + 1))
		fi
	done <<<"$list"
	if [ $ndocs -eq 0 ]; then
		fail "$tag: our JSON has nothing to validate" \
		    "ours: $(tr -d '\n' <"$enc")"
	elif [ $bad -gt 0 ]; then
		fail "$tag ($bad of $ndocs document(s) failed)"
	elif [ $xf -gt 0 ]; then
		printf 'XFAIL %s (%d document(s)): %s\n' "$tag" "$ndocs" \
		    "${XFAIL_REASON[$tag]}"
	else
		pass "$tag ($ndocs document(s))"
	fi
done

for tag in "${!XFAIL_REASON[@]}"; do
	if [ -z "${seen_xfail[$tag]:-}" ]; then
		fail "XFAIL entry $tag matches no vector: remove it from $0"
	fi
done

echo "== negative controls: wrong bodies made from our output must be rejected"
for n in "${NEGATIVE[@]}"; do
	IFS='|' read -r base stmt expect what <<<"$n"
	src=$scratch/docs/$base.json
	dst=$scratch/docs/negative.$base.json
	if [ ! -f "$src" ]; then
		fail "negative control '$what': base document $base missing"
		continue
	fi
	if ! py mutate "$src" "$dst" "$stmt"; then
		fail "negative control '$what': cannot apply \"$stmt\" to $base"
	elif validate "$dst"; then
		fail "negative control '$what': validates, libyang checks nothing?"
	elif printf '%s\n' "$out" | grep -q -E "$expect"; then
		pass "negative control '$what' rejected: $(errors)"
	else
		fail "negative control '$what': rejected, but not as" \
		    "expected (/$expect/)" "libyang: $(errors)"
	fi
done

echo "== yang_signal_json: $npass passed, $nfail failed, $nxfail xfail"
[ $nfail -eq 0 ]
