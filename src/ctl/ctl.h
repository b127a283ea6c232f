/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsctl, the command line of the DOTS client.  It speaks the control
 * protocol of dotscd (docs/control-protocol.md) over its UNIX socket, or,
 * with --direct, the signal channel to one DOTS server for one request.
 *
 * The pieces, each in its own file:
 *	ctl_args.c	argv -> struct ctl_req (no I/O)
 *	ctl_scope.c	TARGET, --port, --protocol ... -> a validated request
 *	ctl_session.c	session set KEY=VALUE -> a signal-config body
 *	ctl_req.c	struct ctl_req -> control-protocol request object
 *	ctl_reply.c	a line from the daemon -> struct ctl_reply
 *	ctl_print.c	results as aligned tables
 *	ctl_sock.c	the socket and the conversation with the daemon
 *	ctl_direct.c	the one-shot mode over dotsclient
 *	ctl_help.c	--help texts
 */
#ifndef DOTS_CTL_H
#define DOTS_CTL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include <dots/model.h>

/* Exit codes, as docs/control-protocol.md lists them. */
#define CTL_EXIT_OK		0	/* done */
#define CTL_EXIT_FAILED		1	/* refused, or the operation failed */
#define CTL_EXIT_USAGE		2	/* bad usage; nothing was sent */
#define CTL_EXIT_UNREACHABLE	3	/* no daemon (or server) answers */
#define CTL_EXIT_PENDING	4	/* accepted, not delivered yet */

#define CTL_SOCKET_DEFAULT	"/run/opendots/dotscd.sock"
#define CTL_SOCKET_ENV		"DOTSCTL_SOCKET"
#define CTL_LIST_MAX		32	/* values of one repeated option */
#define CTL_LINE_MAX		65536	/* the protocol's line limit */
#define CTL_WAIT_MAX		3600
#define CTL_ERR_MAX		512

enum ctl_cmd {
	CTL_CMD_NONE = 0,
	CTL_CMD_MITIGATE,
	CTL_CMD_WITHDRAW,
	CTL_CMD_CANCEL,
	CTL_CMD_EFFICACY,
	CTL_CMD_STATUS,
	CTL_CMD_SESSION,
	CTL_CMD_SERVERS
};

/* Strings borrowed from argv. */
struct ctl_strlist {
	const char	*v[CTL_LIST_MAX];
	size_t		 n;
};

/* What mitigate asks for, as typed; ctl_scope_build() checks it. */
struct ctl_scope_args {
	struct ctl_strlist	 targets;	/* TARGET... */
	struct ctl_strlist	 ports;		/* --port, each a list */
	struct ctl_strlist	 protocols;	/* --protocol, each a list */
	struct ctl_strlist	 fqdns;
	struct ctl_strlist	 uris;
	struct ctl_strlist	 aliases;
	struct ctl_strlist	 source_prefixes;
	struct ctl_strlist	 source_ports;
	struct ctl_strlist	 acls;
	const char		*lifetime;	/* NULL: 3600 */
	bool			 preconfigured;	/* trigger-mitigation false */
};

/* One command line, parsed. */
struct ctl_req {
	enum ctl_cmd		 cmd;
	bool			 help;		/* --help: show help, no more */
	bool			 json;
	const char		*socket;	/* -s; NULL: env or default */

	/* --direct: one request to a DOTS server, no daemon */
	const char		*direct;	/* HOST[:PORT] */
	const char		*ca, *cert, *key;
	bool			 tls;

	const char		*server;	/* --server NAME */
	bool			 has_mid;
	uint32_t		 mid;
	bool			 has_wait;
	unsigned		 wait;		/* seconds */
	const char		*origin;
	bool			 all;
	bool			 watch;
	unsigned		 attack_status;	/* enum dots_attack_status */
	bool			 session_set;
	struct ctl_strlist	 settings;	/* KEY=VALUE */
	struct ctl_scope_args	 scope;
};

/* ctl_args.c */

/**
 * Parse the command line.  Pure: no I/O, no environment.
 * @return 0, or -1 with a sentence that says what to fix in @p err
 */
int		 ctl_args_parse(int argc, char *const argv[],
		    struct ctl_req *req, char *err, size_t errlen);
const char	*ctl_cmd_name(enum ctl_cmd cmd);
/** Parse a decimal uint32 ("mid"); @return 0 or -1. */
int		 ctl_parse_u32(const char *s, uint32_t max, uint32_t *out);

/* ctl_scope.c */

/**
 * The mitigation request that @p a describes, validated by libdots.
 * @return **new** message (dots_signal_free), or NULL with @p err
 *         naming the argument at fault
 */
struct dots_signal *ctl_scope_build(const struct ctl_scope_args *a,
		    char *err, size_t errlen);
/**
 * The scope of @p m as the control protocol wants it: the members of one
 * element of mitigation-scope/scope in RFC 9132 JSON, without mid.
 * @return **new** reference, or NULL on ENOMEM
 */
json_t		*ctl_scope_json(const struct dots_signal *m);

/* ctl_session.c */

/**
 * A signal-config body in RFC 9132 JSON from KEY=VALUE settings,
 * validated by libdots.
 * @return **new** reference, or NULL with @p err naming the setting
 */
json_t		*ctl_session_body(const struct ctl_strlist *settings,
		    char *err, size_t errlen);

/* ctl_req.c */

/**
 * The control-protocol request of @p req (`scope` is the built request of
 * mitigate, `set` the body of session set; NULL otherwise).
 * @return **new** reference, or NULL on ENOMEM
 */
json_t		*ctl_req_json(const struct ctl_req *req, json_int_t id,
		    const struct dots_signal *scope, json_t *set);

/* ctl_reply.c */

enum ctl_reply_kind {
	CTL_REPLY_ANSWER = 1,
	CTL_REPLY_EVENT
};

/* One line from the daemon.  Strings and objects are borrowed from root. */
struct ctl_reply {
	enum ctl_reply_kind	 kind;
	json_t			*root;		/* owned */
	json_t			*id;		/* NULL if absent */
	bool			 ok;
	json_t			*result;	/* an object, or NULL */
	const char		*event;		/* the event's name */
	const char		*code;		/* error code, e.g. "refused" */
	const char		*field;
	const char		*message;
	const char		*server_code;	/* e.g. "4.01" */
	const char		*server_diag;
};

/**
 * Parse one line (without its newline); anything that is not an answer
 * or an event of the protocol is refused.
 * @return 0, or -1 with the reason in @p err
 */
int		 ctl_reply_parse(const char *line, size_t len,
		    struct ctl_reply *r, char *err, size_t errlen);
void		 ctl_reply_clear(struct ctl_reply *r);
/** Whether the answer's id is @p id. */
bool		 ctl_reply_id_is(const struct ctl_reply *r, json_int_t id);
/** The exit code an answer to @p cmd means (state pending: 4, ...). */
int		 ctl_reply_exit(const struct ctl_reply *r, enum ctl_cmd cmd);

/* ctl_print.c */

void		 ctl_print_result(FILE *f, enum ctl_cmd cmd, json_t *result);
void		 ctl_print_error(FILE *f, const struct ctl_reply *r);
void		 ctl_print_event(FILE *f, json_t *ev);
/** @p s with control characters made harmless, into @p buf. */
const char	*ctl_printable(const char *s, char *buf, size_t len);
/**
 * Show an answer to @p req as --json or a table wants it; errors go to
 * stderr.  @return the exit code it means
 */
int		 ctl_show(const struct ctl_req *req, struct ctl_reply *r);

/* ctl_opt.c: the options of dotsctl's command lines */

struct ctl_opt {
	int		 id;		/* the command line's own enum */
	const char	*name;		/* --name */
	char		 short_name;	/* -x, or 0 */
	bool		 arg;		/* takes a value */
	unsigned	 cmds;		/* bits: the commands that take it */
};

/**
 * The option of @p v (@p n of them) that @p arg ("-x", "--name",
 * "--name=value") names, or NULL; *@p value is what follows '=', or NULL.
 */
const struct ctl_opt *ctl_opt_lookup(const struct ctl_opt *v, size_t n,
		    const char *arg, const char **value);
/** Whether the first word of @p argv that is no option is @p word. */
bool		 ctl_argv_word_is(const struct ctl_opt *v, size_t n, int argc,
		    char *const argv[], const char *word);

/* ctl_line.c: what the conversations with dotscd and dotsd share */

/**
 * Connect to the UNIX socket @p path of daemon @p peer ("dotscd"), whose
 * other sockets @p env names.  @return an exit code; *@p fd on success
 */
int		 ctl_line_connect(const char *path, const char *peer,
		    const char *env, int *fd);
/** Send @p req as one line.  @return 0, or -1 (said on stderr) */
int		 ctl_line_send(int fd, json_t *req, const char *peer,
		    const volatile sig_atomic_t *interrupted);
/** CLOCK_MONOTONIC in milliseconds, for deadlines. */
long long	 ctl_now_ms(void);

/* ctl_sock.c */

/**
 * Run @p req against the daemon at @p path.
 * @return the exit code
 */
int		 ctl_sock_run(const char *path, const struct ctl_req *req,
		    const struct dots_signal *scope, json_t *set);

/* ctl_direct.c */

/** Run @p req as one request to the server of --direct; @return exit. */
int		 ctl_direct_run(const struct ctl_req *req,
		    const struct dots_signal *scope);

/* ctl_help.c */

void		 ctl_help(FILE *f, enum ctl_cmd cmd);
void		 ctl_usage_line(FILE *f, enum ctl_cmd cmd);

#endif /* DOTS_CTL_H */
