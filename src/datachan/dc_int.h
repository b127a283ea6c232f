/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Internals of the data channel, shared by its files and its tests.
 *
 * The layers, from the socket down: dc_http.c (libmicrohttpd, TLS client
 * authentication, the loop) hands each complete request to dc_handle()
 * in dc_rest.c, a plain function of (request, client) -> answer that
 * knows no sockets, so that unit tests and the fuzz target call it
 * directly.  dc_rest.c reads the URI (dc_uri.c), reads the body with
 * jansson, accepts the draft-era spellings (dc_lenient.c), has libyang
 * validate it against the official modules and ours and print it in
 * canonical form (dc_yang.c), checks what the YANG cannot (the client's
 * domain, what this server enforces: dc_check.c), and keeps the result
 * in SQLite (dc_store.c).
 */
#ifndef DOTS_DC_INT_H
#define DOTS_DC_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "dc.h"

#define DC_MOD		"ietf-dots-data-channel"
#define DC_ACL_MOD	"ietf-access-control-list"
#define DC_KEY_MAX	256	/* bytes of a list key (64 characters) */
#define DC_MSG_MAX	512	/* an error message */
#define DC_ROOT		"/restconf"
#define DC_DATA		DC_ROOT "/data/" DC_MOD ":dots-data"

enum dc_kind {
	DC_ALIAS = 1,
	DC_ACL = 2
};

/* The resources of RFC 8783, section 4 (and host-meta). */
enum dc_res {
	DC_R_HOSTMETA,
	DC_R_DATA,		/* .../dots-data */
	DC_R_CLIENT,		/* .../dots-client=CUID */
	DC_R_ALIASES,		/* .../dots-client=CUID/aliases */
	DC_R_ALIAS,		/* .../aliases/alias=NAME */
	DC_R_ACLS,		/* .../dots-client=CUID/acls */
	DC_R_ACL,		/* .../acls/acl=NAME */
	DC_R_CAPS		/* .../dots-data/capabilities */
};

struct dc_uri {
	enum dc_res	res;
	char		cuid[DC_KEY_MAX + 1];	/* decoded */
	char		name[DC_KEY_MAX + 1];	/* decoded */
};

enum dc_content {
	DC_CONTENT_ALL,
	DC_CONTENT_CONFIG,
	DC_CONTENT_NONCONFIG
};

struct dc_query {
	enum dc_content	content;
	bool		non_config;	/* spelled "non-config" */
};

/* An error: HTTP status, RESTCONF error-tag, sentence. */
struct dc_error {
	int		status;
	const char	*tag;
	char		msg[DC_MSG_MAX];
};

/* dc_uri.c */

/**
 * Read a request path (as received: percent-encoded, no query).
 * @return 0, or an HTTP status (400, 404) with @p e filled
 */
int	dc_uri_parse(const char *path, struct dc_uri *u, struct dc_error *e);
/** Read a query string ("content=config", "" for none). */
int	dc_query_parse(const char *query, bool get, struct dc_query *q,
	    struct dc_error *e);
/** Percent-encode @p in for a path segment into @p out (3x + 1). */
void	dc_uri_encode(const char *in, char *out, size_t outlen);
int	dc_error_set(struct dc_error *e, int status, const char *tag,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* dc_lenient.c */

/**
 * Rewrite the draft-era spellings of RFC 8783 content in @p items (an
 * array of alias or ACL objects, changed in place) to the standard ones,
 * and describe each rewrite in @p note (may be NULL).
 * @return the number of rewrites
 */
unsigned dc_lenient_fix(json_t *items, enum dc_kind kind, char *note,
	    size_t notelen);

/* dc_yang.c */
struct dc_yang;

struct dc_yang	*dc_yang_new(const char *dir, char *err, size_t errlen);
void		 dc_yang_free(struct dc_yang *y);
/**
 * Validate the dots-client @p client [borrow] (an object with "cuid" and
 * at most one of "aliases"/"acls") as configuration, and give the
 * entries of @p kind in canonical form: @p out is a **new** array of
 * objects, each the JSON of one entry as libyang prints it.  ACL types
 * are evaluated as derived-from-or-self() (see opendots-deviations.yang).
 * @return 0, or 400 with @p e filled (libyang's message)
 */
int		 dc_yang_check(struct dc_yang *y, json_t *client,
		    enum dc_kind kind, json_t **out, struct dc_error *e);
/** Validate a whole response (operational data) of @p doc; for tests. */
int		 dc_yang_check_data(struct dc_yang *y, const char *doc,
		    char *msg, size_t msglen);
/** Validate an ietf-restconf:errors body (rc:yang-data yang-errors). */
int		 dc_yang_check_errors(struct dc_yang *y, const char *doc,
		    char *msg, size_t msglen);

/* dc_check.c */

/** The checks of an alias that YANG cannot make: its targets are the
 * client's.  @return 0 or an HTTP status with @p e filled. */
int	dc_check_alias(const struct dc_peer *p, json_t *alias,
	    struct dc_error *e);
/** The same for an ACL, and whether this server enforces its matches. */
int	dc_check_acl(const struct dc_peer *p, json_t *acl,
	    struct dc_error *e);
/** The capabilities container (RFC 8783, 7.1), **new**: exactly what
 * dc_check_acl() accepts. */
json_t	*dc_capabilities(void);

/* dc_store.c */
struct store;
struct dc_store;

struct dc_store	*dc_store_open(struct store *st, char *err, size_t errlen);
void		 dc_store_close(struct dc_store *ds);
/* 1 registered, 0 not, -1 error */
int	dc_store_client_get(struct dc_store *ds, const char *cuid);
int	dc_store_client_put(struct dc_store *ds, const char *cuid,
	    const char *client, int64_t now);
/* The configured client name a cuid registered as: 0, 1 none, -1 */
int	dc_store_client_name(struct dc_store *ds, const char *cuid,
	    char *name, size_t len);
/* The cuids registered as @p client; stops if cb != 0 (returned) */
int	dc_store_client_cuids(struct dc_store *ds, const char *client,
	    int (*cb)(void *arg, const char *cuid), void *arg);
/* Unregisters, with every alias and ACL: 0, 1 (was not), -1 error */
int	dc_store_client_delete(struct dc_store *ds, const char *cuid);
/* Create or replace (keeps its place in the order): 0 created, 1
 * replaced, -1 error */
int	dc_store_item_put(struct dc_store *ds, enum dc_kind kind,
	    const char *cuid, const char *name, const char *body,
	    int64_t expires);
/* 0 found (*@p body **new**), 1 none, -1 error */
int	dc_store_item_get(struct dc_store *ds, enum dc_kind kind,
	    const char *cuid, const char *name, char **body,
	    int64_t *expires);
/* 0 deleted, 1 none, -1 error */
int	dc_store_item_delete(struct dc_store *ds, enum dc_kind kind,
	    const char *cuid, const char *name);
/* In order; @p cb's body is borrowed for the call; stops if cb != 0 */
int	dc_store_item_foreach(struct dc_store *ds, enum dc_kind kind,
	    const char *cuid, int (*cb)(void *arg, const char *name,
	    const char *body, int64_t expires), void *arg);
/* Every entry of any client with expires <= @p now: cb, then deleted */
int	dc_store_expire(struct dc_store *ds, int64_t now,
	    void (*cb)(void *arg, enum dc_kind kind, const char *cuid,
	    const char *name), void *arg);
const char *dc_store_errmsg(struct dc_store *ds);

/* dc_rest.c */

struct dc_core {
	struct dc_yang	*yang;
	struct dc_store	*store;
	unsigned	 lifetime;	/* s */
	/* an ACL of a cuid changed (dc.h, dc_acl_changed_fn) */
	void		(*acl_changed)(void *arg, const char *cuid,
			    const char *name);
	void		*acl_changed_arg;
};

/* dc_http.c keeps struct dc; dc_acl.c needs only its core */
struct dc;
struct dc_core	*dc_core_of(struct dc *dc);

/** Tell whoever enforces ACLs that ACL @p name of @p cuid changed
 * (NULL: all of them, the client is gone). */
void	dc_core_acl_changed(struct dc_core *c, const char *cuid,
	    const char *name);

struct dc_request {
	const char		*method;	/* "GET", ... */
	const char		*path;		/* percent-encoded */
	const char		*query;		/* "" if none */
	const char		*ctype;		/* Content-Type or NULL */
	const char		*accept;	/* Accept or NULL */
	const char		*body;
	size_t			 len;
	const struct dc_peer	*peer;
	time_t			 now;
};

struct dc_response {
	int		 status;
	const char	*ctype;		/* NULL: no body */
	char		*body;		/* **new**, NUL-terminated */
	char		*location;	/* **new** path, or NULL */
	const char	*allow;		/* Allow header of a 405 */
	bool		 wrote;		/* changed the store */
	char		 note[DC_MSG_MAX];	/* for the log, or "" */
};

/** Answer one request.  @p rs is filled; free it with dc_response_clear. */
void	dc_handle(struct dc_core *c, const struct dc_request *rq,
	    struct dc_response *rs);
void	dc_response_clear(struct dc_response *rs);
/** The ietf-restconf:errors body of @p e, **new**. */
char	*dc_error_body(const struct dc_error *e);
/**
 * Whether ACL @p name of @p cuid exists (0), or not (1, with a sentence
 * in @p why saying what was meant if it is the name of one of the
 * client's ACEs), for the signal channel's acl-list (RFC 9133).
 */
int	dc_acl_lookup(struct dc_core *c, const char *cuid, const char *name,
	    char *why, size_t whylen);

/* dc_alias.c */

/** dc_alias_targets() on the core (dc.h); for tests too. */
int	dc_core_alias_targets(struct dc_core *c, const char *cuid,
	    const char *name, time_t now, struct dots_signal *m,
	    struct dots_target *out);

#endif /* DOTS_DC_INT_H */
