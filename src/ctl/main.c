/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsctl: parse the command line, check everything that can be checked
 * locally (the scope, the settings), then hand the request to the daemon
 * (ctl_sock.c) or, with --direct, to a DOTS server (ctl_direct.c).  A
 * usage error exits 2 before any connection is made.  `dotsctl dc`, the
 * data channel, has a command line of its own (ctl_dc_args.c), and so
 * has `dotsctl server`, the administrator's commands to dotsd
 * (ctl_srv_args.c).
 */
#include <stdlib.h>

#include "ctl.h"
#include "ctl_dc.h"
#include "ctl_dms.h"
#include "ctl_srv.h"

static int
main_dc(int argc, char *argv[])
{
	struct ctl_dc_req req;
	char err[CTL_ERR_MAX];

	if (ctl_dc_args_parse(argc, argv, &req, err, sizeof(err)) != 0) {
		fprintf(stderr, "dotsctl: %s\n(dotsctl dc --help tells more)\n",
		    err);
		return CTL_EXIT_USAGE;
	}
	if (req.help) {
		ctl_dc_help(stdout);
		return CTL_EXIT_OK;
	}
	return ctl_dc_run(&req);
}

static int
main_dms(int argc, char *argv[])
{
	struct ctl_dms_req req;
	char err[CTL_ERR_MAX];
	const char *path;

	if (ctl_dms_args_parse(argc, argv, &req, err, sizeof(err)) != 0) {
		fprintf(stderr, "dotsctl: %s\n(dotsctl dms --help tells "
		    "more)\n", err);
		return CTL_EXIT_USAGE;
	}
	if (req.help) {
		ctl_dms_help(stdout);
		return CTL_EXIT_OK;
	}
	if ((path = req.socket) == NULL &&
	    (path = getenv(CTL_SOCKET_ENV)) == NULL)
		path = CTL_SOCKET_DEFAULT;
	return ctl_dms_run(&req, path);
}

static int
main_srv(int argc, char *argv[])
{
	struct ctl_srv_req req;
	char err[CTL_ERR_MAX];
	const char *path;

	if (ctl_srv_args_parse(argc, argv, &req, err, sizeof(err)) != 0) {
		fprintf(stderr, "dotsctl: %s\n(dotsctl server --help tells "
		    "more)\n", err);
		return CTL_EXIT_USAGE;
	}
	if (req.help) {
		ctl_srv_help(stdout);
		return CTL_EXIT_OK;
	}
	if ((path = req.socket) == NULL &&
	    (path = getenv(CTL_SRV_SOCKET_ENV)) == NULL)
		path = CTL_SRV_SOCKET_DEFAULT;
	return ctl_srv_run(&req, path);
}

int
main(int argc, char *argv[])
{
	struct dots_signal *scope = NULL;
	struct ctl_req req;
	json_t *set = NULL;
	char err[CTL_ERR_MAX];
	const char *path;
	int ret;

	if (ctl_dc_argv_is(argc, argv))
		return main_dc(argc, argv);
	if (ctl_srv_argv_is(argc, argv))
		return main_srv(argc, argv);
	if (ctl_dms_argv_is(argc, argv))
		return main_dms(argc, argv);
	if (ctl_args_parse(argc, argv, &req, err, sizeof(err)) != 0) {
		fprintf(stderr, "dotsctl: %s\n"
		    "(dotsctl %s%s--help tells more)\n", err,
		    req.cmd != CTL_CMD_NONE ? ctl_cmd_name(req.cmd) : "",
		    req.cmd != CTL_CMD_NONE ? " " : "");
		return CTL_EXIT_USAGE;
	}
	if (req.help || argc == 1) {
		ctl_help(argc == 1 ? stderr : stdout, req.cmd);
		return argc == 1 ? CTL_EXIT_USAGE : CTL_EXIT_OK;
	}
	if (req.cmd == CTL_CMD_MITIGATE &&
	    (scope = ctl_scope_build(&req.scope, err, sizeof(err))) == NULL) {
		fprintf(stderr, "dotsctl: %s\n", err);
		return CTL_EXIT_USAGE;
	}
	if (req.session_set && (set = ctl_session_body(&req.settings, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "dotsctl: %s\n", err);
		return CTL_EXIT_USAGE;
	}
	if (req.direct != NULL)
		ret = ctl_direct_run(&req, scope);
	else {
		if ((path = req.socket) == NULL &&
		    (path = getenv(CTL_SOCKET_ENV)) == NULL)
			path = CTL_SOCKET_DEFAULT;
		ret = ctl_sock_run(path, &req, scope, set);
	}
	dots_signal_free(scope);
	json_decref(set);
	return ret;
}
