#!/usr/bin/env python3
# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Copy of the project's spec tool shared/spec/tools/mk_lint_shim.py, used by
# the CTest test interop_yang_signal_json (yang_signal_json.sh).
"""Build a *validation-only* copy of the DOTS YANG modules that libyang 2.1.x can compile.

The official modules in yang/ (top of the source tree) are byte-exact copies of the RFC modules and are never
modified.  This script copies them into OUTDIR and applies three narrowly scoped textual
patches, each of which works around a libyang limitation (see yang/README.md):

  1. ietf-dots-signal-channel: the two leafrefs under conflict-scope/acl-list
     (acl-name, acl-type) point into the ietf-dots-data-channel datastore
     (/data-channel:dots-data/...).  RFC 8791 makes the sx:structure itself the XPath
     document, so libyang cannot resolve such paths ("Not found node dots-data in path",
     see CESNET/libyang issue #2375).  They are replaced by the type of the leafref
     target (string length 1..64, and ietf-acl:acl-type).
  2. ietf-dots-signal-control: same problem for acl-list/acl-name; replaced by the
     target type (string length 1..64).
  3. ietf-dots-robust-trans: libyang < 3.12 rejects an sx:augment-structure whose only
     data-def substatement is 'uses' (CESNET/libyang issue #2377).  The grouping
     'robust-transmission-attributes' is inlined into both augment-structure statements.

Consequence: the leafref (require-instance) check between a signal-channel acl-name and
the ACLs configured over the data channel is NOT performed by the shim; the example
validator performs that cross-check separately.

Usage: mk_lint_shim.py YANGDIR OUTDIR
"""
import os, re, shutil, sys


def patch_once(text, old, new, what):
    n = text.count(old)
    if n != 1:
        sys.exit("mk_lint_shim: expected exactly 1 occurrence for %s, found %d" % (what, n))
    return text.replace(old, new)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    os.makedirs(dst, exist_ok=True)
    files = sorted(f for f in os.listdir(src) if f.endswith('.yang'))
    for f in files:
        shutil.copyfile(os.path.join(src, f), os.path.join(dst, f))

    def edit(prefix, fn):
        cands = [f for f in files if f.startswith(prefix + '@')]
        if len(cands) != 1:
            sys.exit("mk_lint_shim: need exactly one %s@*.yang in %s" % (prefix, src))
        p = os.path.join(dst, cands[0])
        with open(p) as fh:
            t = fh.read()
        t = fn(t)
        with open(p, 'w') as fh:
            fh.write(t)
        print("patched (validation-only): %s" % cands[0])

    def sigchan(t):
        t = patch_once(t,
            '  import ietf-yang-structure-ext {\n',
            '  import ietf-access-control-list {\n'
            '    prefix ietf-acl;\n'
            '  }\n'
            '  import ietf-yang-structure-ext {\n',
            'signal-channel import')
        t = patch_once(t,
            '                  type leafref {\n'
            '                    path "/data-channel:dots-data"\n'
            '                       + "/data-channel:dots-client"\n'
            '                       + "/data-channel:acls"\n'
            '                       + "/data-channel:acl/data-channel:name";\n'
            '                  }\n',
            '                  type string {\n'
            '                    length "1..64";\n'
            '                  }\n',
            'signal-channel acl-name leafref')
        t = patch_once(t,
            '                  type leafref {\n'
            '                    path "/data-channel:dots-data"\n'
            '                       + "/data-channel:dots-client"\n'
            '                       + "/data-channel:acls"\n'
            '                       + "/data-channel:acl/data-channel:type";\n'
            '                  }\n',
            '                  type ietf-acl:acl-type;\n',
            'signal-channel acl-type leafref')
        return t

    def sigctl(t):
        return patch_once(t,
            '        type leafref {\n'
            '          path "/data-channel:dots-data/data-channel:dots-client"\n'
            '             + "/data-channel:acls/data-channel:acl"\n'
            '             + "/data-channel:name";\n'
            '        }\n',
            '        type string {\n'
            '          length "1..64";\n'
            '        }\n',
            'signal-control acl-name leafref')

    def robust(t):
        m = re.search(r'\n  grouping robust-transmission-attributes \{\n(.*?)\n  \}\n', t, re.S)
        if not m:
            sys.exit("mk_lint_shim: grouping robust-transmission-attributes not found")
        body = m.group(1)
        # drop the grouping's own description statement (first substatement)
        body = re.sub(r'^    description\n      "[^"]*";\n', '', body, count=1)
        if t.count('    uses robust-transmission-attributes;\n') != 2:
            sys.exit("mk_lint_shim: expected 2 uses of robust-transmission-attributes")
        return t.replace('    uses robust-transmission-attributes;\n', body + '\n')

    edit('ietf-dots-signal-channel', sigchan)
    edit('ietf-dots-signal-control', sigctl)
    edit('ietf-dots-robust-trans', robust)


if __name__ == '__main__':
    main()
