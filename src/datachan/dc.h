/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The DOTS data channel (RFC 8783) inside dotsd: RESTCONF over HTTPS
 * with mutual X.509 authentication, for client registration, aliases,
 * filtering ACLs and the server's filtering capabilities.
 *
 * What dotsd sees of it: dc_new() at start-up, one descriptor that is
 * readable when HTTP work is waiting (dc_fd), dc_run() in the loop turn,
 * dc_tick() once a second (expiry), and dc_release() after the turn's
 * commit, which lets the answers of that turn's writes go out.  Every
 * change is made on the loop's thread, in the store's current
 * transaction.
 */
#ifndef DOTS_DC_H
#define DOTS_DC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

#include <dots/model.h>

struct store;
struct dc;

#define DC_NAME_MAX	63	/* configured client names */

/* A configured client, as the data channel needs it. */
struct dc_peer {
	char			 name[DC_NAME_MAX + 1];
	char			 cuid[23];	/* of the certificate */
	const struct dots_prefix *prefixes;	/* its domain */
	size_t			 nprefixes;
	char *const		*fqdns;
	size_t			 nfqdns;
};

/*
 * Maps a certificate to a configured client: by its subject CN @p cn
 * (may be NULL), its cuid or its whole SPKI digest @p full (base64url).
 * Fills @p out (not its cuid) and returns 0, or -1: no such client.
 */
typedef int	(*dc_identify_fn)(void *arg, const char *cn, const char *cuid,
		    const char *full, struct dc_peer *out);

/*
 * ACL @p name of @p cuid was created, replaced, deleted or expired; NULL
 * @p name: all of its ACLs went with the client's registration.
 */
typedef void	(*dc_acl_changed_fn)(void *arg, const char *cuid,
		    const char *name);

struct dc_listen {
	struct sockaddr_storage	 ss;
	socklen_t		 len;
};

struct dc_settings {
	struct dc_listen	*listen;	/* none: no data channel */
	size_t			 nlisten;
	const char		*ca_file, *cert_file, *key_file;
	const char		*yang_dir;	/* the modules and ours */
	unsigned		 lifetime;	/* s, of aliases and ACLs */
	size_t			 max_body;	/* bytes of a request body */
	unsigned		 max_connections;
	dc_identify_fn		 identify;
	void			*identify_arg;
	dc_acl_changed_fn	 acl_changed;	/* may be NULL */
	void			*acl_changed_arg;
	struct store		*store;
};

/* dc_http.c */

/**
 * Open the listeners and load the YANG modules.
 * @return **new** data channel, or NULL with a sentence in @p err
 */
struct dc	*dc_new(const struct dc_settings *set, char *err,
		    size_t errlen);
/** dc_free(NULL) does nothing. */
void		 dc_free(struct dc *dc);
/** A descriptor to poll for POLLIN; readable when dc_run() has work. */
int		 dc_fd(const struct dc *dc);
/** Longest wait, in ms, before dc_run() must be called again. */
unsigned	 dc_timeout(struct dc *dc, unsigned max_ms);
/** Serve what is waiting, without blocking. */
void		 dc_run(struct dc *dc);
/** Expire aliases and ACLs; call once a second, inside the turn. */
void		 dc_tick(struct dc *dc, time_t now);
/**
 * After the turn's commit: answer the requests that wrote in it, with
 * their own answer if @p committed, else with a 500.  @return whether
 * any was: they go out at the next dc_run().
 */
bool		 dc_release(struct dc *dc, bool committed);
/**
 * For the signal channel's alias-name (RFC 9132 section 4.4.1): append
 * the targets of alias @p name of client @p cuid (target-prefix,
 * -port-range, -protocol, -fqdn, -uri) to @p out, without repeating any.
 * Arrays are (re)allocated in @p m's arena; @p out must live in @p m.
 * Only the client's own aliases are found, and not one expired at @p now.
 * @return 0 found, 1 no such alias, -1 error (store, memory)
 */
int		 dc_alias_targets(struct dc *dc, const char *cuid,
		    const char *name, time_t now, struct dots_signal *m,
		    struct dots_target *out);

/* dc_acl.c: the ACLs as the rest of dotsd sees them */

/**
 * Calls @p cb with each ACL of @p cuid not expired at @p now, in the
 * client's order: its name and its stored JSON (borrowed for the call).
 * Stops when @p cb returns non-zero.  @return 0, -1 store error, or what
 * @p cb returned
 */
int		 dc_acl_foreach(struct dc *dc, const char *cuid, time_t now,
		    int (*cb)(void *arg, const char *name, const char *acl),
		    void *arg);
/**
 * ACL @p name of @p cuid, not expired at @p now: 0 and its stored JSON in
 * @p acl (**new**), 1 none, -1 store error.
 */
int		 dc_acl_get(struct dc *dc, const char *cuid, const char *name,
		    time_t now, char **acl);
/** "immediate" and so on for an enum dots_activation_type, or NULL. */
const char	*dc_activation_name(uint8_t type);
/**
 * For the signal channel's acl-list (RFC 9133): 0 if @p cuid has an ACL
 * @p name, 1 if not (@p why then says so, and what was meant if @p name
 * is one of the client's ACEs), -1 store error.
 */
int		 dc_acl_exists(struct dc *dc, const char *cuid,
		    const char *name, char *why, size_t whylen);
/**
 * RFC 9133: the signal channel sets ACL @p name's activation-type to
 * @p type (enum dots_activation_type) for good, and refreshes its
 * lifetime as a data-channel refresh would.  @return 0, 1 no such ACL,
 * -1 error
 */
int		 dc_acl_set_activation(struct dc *dc, const char *cuid,
		    const char *name, uint8_t type, time_t now);
/** The configured client name @p cuid registered as: 0, 1 none, -1. */
int		 dc_client_name(struct dc *dc, const char *cuid, char *name,
		    size_t len);
/** Calls @p cb with each cuid registered as client @p name. */
int		 dc_client_cuids(struct dc *dc, const char *name,
		    int (*cb)(void *arg, const char *cuid), void *arg);

#endif /* DOTS_DC_H */
