/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsctl dc: the client of the DOTS data channel (RFC 8783), RESTCONF
 * over HTTPS straight to a DOTS server, with the client's certificate.
 * No daemon is involved: each run is one command, one to three requests.
 *
 *	ctl_dc_args.c	argv -> struct ctl_dc_req (no I/O)
 *	ctl_dc_body.c	request bodies and the server's errors, as JSON
 *	ctl_dc_http.c	one HTTPS request (libcurl)
 *	ctl_dc_print.c	answers as tables
 *	ctl_dc.c	the commands: which requests, what they mean
 */
#ifndef DOTS_CTL_DC_H
#define DOTS_CTL_DC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "ctl.h"

#define CTL_DC_MODULE		"ietf-dots-data-channel"
#define CTL_DC_ROOT_DEFAULT	"/restconf"
#define CTL_DC_BODY_MAX		(4 * 1024 * 1024)	/* an answer, a --file */

enum ctl_dc_cmd {
	CTL_DC_NONE = 0,
	CTL_DC_REGISTER,
	CTL_DC_UNREGISTER,
	CTL_DC_CAPABILITIES,
	CTL_DC_ALIAS_LIST,
	CTL_DC_ALIAS_SHOW,
	CTL_DC_ALIAS_ADD,
	CTL_DC_ALIAS_DELETE,
	CTL_DC_ACL_LIST,
	CTL_DC_ACL_SHOW,
	CTL_DC_ACL_ADD,
	CTL_DC_ACL_DELETE,
	CTL_DC_ACL_ACTIVATE
};

/* One `dotsctl dc` command line.  Strings are borrowed from argv. */
struct ctl_dc_req {
	enum ctl_dc_cmd		 cmd;
	bool			 help;
	bool			 json;
	const char		*url;		/* https://HOST[:PORT][/ROOT] */
	const char		*ca, *cert, *key;
	const char		*name;		/* alias or ACL */
	const char		*file;		/* acl add --file */
	const char		*activation;	/* acl activate: the YANG enum */
	struct ctl_scope_args	 alias;		/* targets = --prefix */
};

/* ctl_dc_args.c */

/**
 * Whether @p argv is a `dotsctl dc` command line: "dc" is the first word
 * that is neither an option nor the value of one.
 */
bool		 ctl_dc_argv_is(int argc, char *const argv[]);
/**
 * Parse a `dotsctl dc` command line.  Pure: no I/O.
 * @return 0, or -1 with a sentence naming the argument in @p err
 */
int		 ctl_dc_args_parse(int argc, char *const argv[],
		    struct ctl_dc_req *req, char *err, size_t errlen);
/** "alias add", "acl list", ...; "dc" for CTL_DC_NONE. */
const char	*ctl_dc_cmd_name(enum ctl_dc_cmd cmd);

/* ctl_dc_body.c */

/**
 * The registration body of client @p cuid (a dots-client list entry).
 * @return **new** reference, or NULL on ENOMEM
 */
json_t		*ctl_dc_register_body(const char *cuid);
/**
 * The POST body that creates alias @p req->name, its targets checked with
 * the rules of libdots (no loopback target, ports in order, ...).
 * @return **new** reference, or NULL with @p err naming the argument
 */
json_t		*ctl_dc_alias_body(const struct ctl_dc_req *req, char *err,
		    size_t errlen);
/**
 * The ACLs of a --file body (container or list form, as RFC 8783 and the
 * offload draft write them), checked to be ACLs with names, as the body
 * of a POST: {"ietf-dots-data-channel:acls": {"acl": [...]}}.
 * @param text [borrow] the file's bytes
 * @return **new** reference, or NULL with @p err naming the file
 */
json_t		*ctl_dc_acl_file_body(const char *file, const char *text,
		    size_t len, char *err, size_t errlen);
/**
 * Set the activation-type of the one ACL in @p acls (a GET answer, which
 * becomes the PUT body) to @p activation.
 * @return 0, or -1 if the answer holds no single ACL
 */
int		 ctl_dc_acl_set_activation(json_t *acls,
		    const char *activation);
/**
 * The list that @p answer holds under MODULE:@p container / @p list
 * (aliases/alias, acls/acl), or the member list form.
 * @return a borrowed array, or NULL
 */
json_t		*ctl_dc_entries(json_t *answer, const char *container,
		    const char *list);
/**
 * The first error of an ietf-restconf:errors body: its tag, message and
 * path (borrowed from @p errors, NULL when absent).
 * @return 0, or -1 if @p errors is no such body
 */
int		 ctl_dc_error_get(json_t *errors, const char **tag,
		    const char **message, const char **path);

/* ctl_dc_http.c */

struct ctl_dc_answer {
	long		 status;	/* HTTP status; 0: none came */
	char		*body;		/* NUL-terminated, owned */
	size_t		 len;
	char		 err[CTL_ERR_MAX];	/* why none came */
};

/**
 * One request to PATH under the RESTCONF root of @p req->url.  @p body
 * [borrow], NULL for none, is sent as application/yang-data+json.
 * @return 0 if an answer came (any status), -1 otherwise (a->err says why)
 */
int		 ctl_dc_http(const struct ctl_dc_req *req, const char *method,
		    const char *path, const char *body,
		    struct ctl_dc_answer *a);
void		 ctl_dc_answer_clear(struct ctl_dc_answer *a);
/**
 * @p s percent-encoded for a RESTCONF key (RFC 8040 3.5.3).
 * @return **new** string (free), or NULL on ENOMEM
 */
char		*ctl_dc_escape(const char *s);

/* ctl_dc_print.c */

void		 ctl_dc_print_capabilities(FILE *f, json_t *answer);
void		 ctl_dc_print_aliases(FILE *f, json_t *aliases);
void		 ctl_dc_print_alias(FILE *f, json_t *alias);
void		 ctl_dc_print_acls(FILE *f, json_t *acls);
void		 ctl_dc_print_acl(FILE *f, json_t *acl);

/* ctl_dc.c */

/** Run a parsed `dotsctl dc` command; @return the exit code. */
int		 ctl_dc_run(const struct ctl_dc_req *req);
/** The help of `dotsctl dc`. */
void		 ctl_dc_help(FILE *f);

#endif /* DOTS_CTL_DC_H */
