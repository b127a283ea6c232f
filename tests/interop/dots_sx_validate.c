/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Copy of the project's spec tool shared/spec/tools/dots_sx_validate.c,
 * used by the CTest test interop_yang_signal_json (yang_signal_json.sh).
 *
 * dots_sx_validate - validate a DOTS message body against an RFC 8791
 * "sx:structure" (e.g. ietf-dots-signal-channel:dots-signal,
 * ietf-dots-telemetry:dots-telemetry) using libyang 2.x.
 *
 * Why a helper: yanglint 2.1.x has no command-line option to parse data as an
 * extension instance (its -t data/config/rpc/notif types only accept
 * datastore/operation data, and structure nodes are not data-tree nodes; the
 * --ext-inst option only appeared in yanglint 3.x).  libyang 2.1 does offer
 * lyd_parse_ext_data(), which this program calls.
 *
 * Build (Debian: apt-get install libyang2-dev, which scripts/deps.sh does):
 * tests/interop/CMakeLists.txt builds it when pkg-config finds libyang; by
 * hand:
 *   cc -o dots_sx_validate dots_sx_validate.c -lyang
 *
 * Usage:
 *   dots_sx_validate -p YANGDIR [-p DIR]... [-m MODULE]...
 *                    -s MODULE:STRUCTURE [-f json|xml] [-n] [-O] [-o] FILE...
 *
 *   -p DIR        schema search directory (repeatable)
 *   -m MODULE     module to load as implemented (repeatable); every module
 *                 whose sx:augment-structure must apply has to be listed
 *                 (e.g. ietf-dots-call-home, ietf-dots-signal-control)
 *   -s MOD:NAME   the structure to parse against, e.g.
 *                 ietf-dots-signal-channel:dots-signal
 *   -f FORMAT     json (default) or xml
 *   -n            parse only (LYD_PARSE_ONLY), no validation
 *   -O            pass LYD_PARSE_ORDERED (see the libyang 2.1.30 note below)
 *   -o            print the parsed tree back as JSON on success
 *
 * Notes on the input (see tests/vectors/rfc/README.md and yang/README.md):
 *   - The input must be the structure's own top-level data nodes, e.g.
 *     {"ietf-dots-signal-channel:scope": [ ... ]}.  RFC 9132 message bodies
 *     wrap them in an object named after the choice case
 *     ({"ietf-dots-signal-channel:mitigation-scope": {"scope": [...]}}); that
 *     wrapper is not a YANG data node and must be removed first
 *     (yang_signal_json.sh does this).
 *   - libyang 2.1.30 loops forever in lyd_insert_get_next_anchor() when it
 *     inserts a second top-level sibling into extension data (it searches the
 *     module's top-level schema nodes, where structure nodes never appear).
 *     Either feed one top-level instance per document (yang_signal_json.sh
 *     splits the "scope" list), or use -O, which skips that search but makes
 *     libyang assume the input is already in schema order.  A watchdog
 *     (SIGALRM, 30 s) turns such a hang into exit status 3.
 *
 * Exit status: 0 if every FILE parsed and validated, 1 if one did not,
 * 2 on usage or schema-loading errors, 3 on the watchdog timeout.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libyang/libyang.h>
#include <libyang/plugins_exts.h>

#define MAX_ITEMS 32
#define WATCHDOG_S 30

static void
usage(const char *prog)
{
    fprintf(stderr,
            "usage: %s -p YANGDIR [-p DIR]... [-m MODULE]... "
            "-s MODULE:STRUCTURE [-f json|xml] [-n] [-O] [-o] FILE...\n", prog);
}

static void
on_alarm(int sig)
{
    static const char msg[] = "TIMEOUT (libyang hang, see -O in dots_sx_validate.c)\n";

    (void)sig;
    if (write(STDOUT_FILENO, msg, sizeof msg - 1) < 0) {
        /* nothing more can be done */
    }
    _exit(3);
}

static const struct lysc_ext_instance *
find_structure(const struct lys_module *mod, const char *name)
{
    LY_ARRAY_COUNT_TYPE u;

    if (!mod->compiled) {
        return NULL;
    }
    LY_ARRAY_FOR(mod->compiled->exts, u) {
        const struct lysc_ext_instance *ext = &mod->compiled->exts[u];

        if (!strcmp(ext->def->name, "structure") &&
                !strcmp(ext->def->module->name, "ietf-yang-structure-ext") &&
                ext->argument && !strcmp(ext->argument, name)) {
            return ext;
        }
    }
    return NULL;
}

int
main(int argc, char **argv)
{
    const char *dirs[MAX_ITEMS], *mods[MAX_ITEMS];
    int ndirs = 0, nmods = 0, print = 0, parse_only = 0, ordered = 0, i, failed = 0;
    char *structure = NULL, *sname;
    LYD_FORMAT format = LYD_JSON;
    struct ly_ctx *ctx = NULL;
    const struct lys_module *smod;
    const struct lysc_ext_instance *ext;
    uint32_t parse_opts;

    for (i = 1; i < argc && argv[i][0] == '-'; ++i) {
        if (!strcmp(argv[i], "-o")) {
            print = 1;
        } else if (!strcmp(argv[i], "-n")) {
            parse_only = 1;
        } else if (!strcmp(argv[i], "-O")) {
            ordered = 1;
        } else if (i + 1 >= argc) {
            usage(argv[0]);
            return 2;
        } else if (!strcmp(argv[i], "-p") && ndirs < MAX_ITEMS) {
            dirs[ndirs++] = argv[++i];
        } else if (!strcmp(argv[i], "-m") && nmods < MAX_ITEMS) {
            mods[nmods++] = argv[++i];
        } else if (!strcmp(argv[i], "-s")) {
            structure = argv[++i];
        } else if (!strcmp(argv[i], "-f")) {
            ++i;
            if (!strcmp(argv[i], "json")) {
                format = LYD_JSON;
            } else if (!strcmp(argv[i], "xml")) {
                format = LYD_XML;
            } else {
                usage(argv[0]);
                return 2;
            }
        } else {
            usage(argv[0]);
            return 2;
        }
    }
    if (!structure || !(sname = strchr(structure, ':')) || (i >= argc)) {
        usage(argv[0]);
        return 2;
    }
    *sname++ = '\0';

    signal(SIGALRM, on_alarm);
    alarm(WATCHDOG_S);

    if (ly_ctx_new(NULL, 0, &ctx)) {
        fprintf(stderr, "dots_sx_validate: cannot create libyang context\n");
        return 2;
    }
    for (int d = 0; d < ndirs; ++d) {
        if (ly_ctx_set_searchdir(ctx, dirs[d])) {
            fprintf(stderr, "dots_sx_validate: bad search dir %s\n", dirs[d]);
            ly_ctx_destroy(ctx);
            return 2;
        }
    }
    for (int m = 0; m < nmods; ++m) {
        if (!ly_ctx_load_module(ctx, mods[m], NULL, NULL)) {
            fprintf(stderr, "dots_sx_validate: cannot load module %s\n", mods[m]);
            ly_ctx_destroy(ctx);
            return 2;
        }
    }
    smod = ly_ctx_get_module_implemented(ctx, structure);
    if (!smod) {
        smod = ly_ctx_load_module(ctx, structure, NULL, NULL);
    }
    if (!smod || !(ext = find_structure(smod, sname))) {
        fprintf(stderr, "dots_sx_validate: structure %s:%s not found\n", structure, sname);
        ly_ctx_destroy(ctx);
        return 2;
    }

    parse_opts = LYD_PARSE_STRICT;
    if (parse_only) {
        parse_opts |= LYD_PARSE_ONLY;
    }
    if (ordered) {
        parse_opts |= LYD_PARSE_ORDERED;
    }

    for (; i < argc; ++i) {
        struct ly_in *in = NULL;
        struct lyd_node *tree = NULL;
        LY_ERR rc;

        if (ly_in_new_filepath(argv[i], 0, &in)) {
            fprintf(stderr, "%s: cannot open\n", argv[i]);
            failed = 1;
            continue;
        }
        alarm(WATCHDOG_S);
        /* LYD_VALIDATE_PRESENT: otherwise libyang 2.1 also validates the
         * (empty) datastore of every implemented module, e.g. it reports the
         * missing mandatory /ietf-yang-library:yang-library/content-id */
        rc = lyd_parse_ext_data(ext, NULL, in, format, parse_opts, LYD_VALIDATE_PRESENT, &tree);
        if (rc) {
            printf("INVALID %s (structure %s:%s)\n", argv[i], structure, sname);
            failed = 1;
        } else {
            printf("VALID   %s (structure %s:%s)\n", argv[i], structure, sname);
            if (print) {
                lyd_print_file(stdout, tree, LYD_JSON, LYD_PRINT_WITHSIBLINGS);
            }
        }
        fflush(stdout);
        lyd_free_all(tree);
        ly_in_free(in, 0);
    }

    ly_ctx_destroy(ctx);
    return failed;
}
