/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsctl server: the administrator's commands to dotsd, the DOTS server,
 * over its control socket (docs/control-protocol.md, "dotsd's control
 * socket"): the mitigations it holds, its clients, and the mitigations
 * held for an administrator's decision, approved or rejected.
 *
 *	ctl_srv_args.c	argv -> struct ctl_srv_req, and its request
 *			objects (no I/O)
 *	ctl_srv_print.c	answers as tables
 *	ctl_srv.c	the conversation with dotsd
 */
#ifndef DOTS_CTL_SRV_H
#define DOTS_CTL_SRV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "ctl.h"

#define CTL_SRV_SOCKET_DEFAULT	"/run/opendots/dotsd.sock"
#define CTL_SRV_SOCKET_ENV	"DOTSCTL_SERVER_SOCKET"
#define CTL_SRV_WHY_MAX		150	/* dotsd's limit on reject's reason */
#define CTL_SRV_NAME_MAX	63	/* a client's name */

enum ctl_srv_cmd {
	CTL_SRV_NONE = 0,
	CTL_SRV_MITIGATIONS,
	CTL_SRV_APPROVALS,
	CTL_SRV_APPROVE,
	CTL_SRV_REJECT,
	CTL_SRV_CLIENTS
};

/* One `dotsctl server` command line.  Strings are borrowed from argv. */
struct ctl_srv_req {
	enum ctl_srv_cmd	 cmd;
	bool			 help;
	bool			 json;
	const char		*socket;	/* -s; NULL: env or default */
	const char		*client;	/* mitigations --client */
	uint64_t		 mitigation;	/* approve, reject: ID */
	const char		*why;		/* reject --why */
};

/* ctl_srv_args.c */

/**
 * Whether @p argv is a `dotsctl server` command line: "server" is the
 * first word that is neither an option nor the value of one.
 */
bool		 ctl_srv_argv_is(int argc, char *const argv[]);
/**
 * Parse a `dotsctl server` command line.  Pure: no I/O, no environment.
 * @return 0, or -1 with a sentence naming the argument in @p err
 */
int		 ctl_srv_args_parse(int argc, char *const argv[],
		    struct ctl_srv_req *req, char *err, size_t errlen);
/** The command's name, as typed and as the protocol has it. */
const char	*ctl_srv_cmd_name(enum ctl_srv_cmd cmd);
/**
 * The request object of @p req with request id @p id; for mitigations,
 * those after mitigation @p after (0: from the first).
 * @return **new** reference, or NULL on ENOMEM
 */
json_t		*ctl_srv_req_json(const struct ctl_srv_req *req,
		    json_int_t id, uint64_t after);

/* ctl_srv_print.c */

/** The result of @p cmd as a table or a line. */
void		 ctl_srv_print(FILE *f, enum ctl_srv_cmd cmd, json_t *result);

/* ctl_srv.c */

/** Run a parsed `dotsctl server` command; @return the exit code. */
int		 ctl_srv_run(const struct ctl_srv_req *req, const char *path);
/** The help of `dotsctl server`. */
void		 ctl_srv_help(FILE *f);

#endif /* DOTS_CTL_SRV_H */
