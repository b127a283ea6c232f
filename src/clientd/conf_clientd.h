/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The dotscd configuration: the DOTS servers to keep a signal channel
 * with, the control socket, the database and the signal-loss hooks.  It
 * is read by the parser of src/common/conf.c with the schema of
 * conf_clientd.c; etc/dotscd.conf.example documents every keyword.
 */
#ifndef DOTSCD_CONF_H
#define DOTSCD_CONF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "conf.h"
#include "trigger_threshold.h"

enum cconf_transport {
	CCONF_TRANSPORT_AUTO,		/* happy eyeballs, DTLS preferred */
	CCONF_TRANSPORT_DTLS,
	CCONF_TRANSPORT_TLS
};

struct cconf_server {
	char			*name;
	unsigned		 line;		/* of the block */
	char			*address;	/* name or address */
	uint32_t		 port;
	enum cconf_transport	 transport;
	char			*server_name;	/* in its certificate */
	char			*ca_file;
	char			*cert_file;
	char			*key_file;
	char			*psk_identity;
	struct conf_bytes	 psk_key;	/* secret: never log it */
	/* asked of the server within its min..max; 0: its current */
	uint32_t		 heartbeat_interval;
	uint32_t		 missing_hb_allowed;
	uint32_t		 timeout;	/* s, per request */
};

enum cconf_link {
	CCONF_LINK_OUT_OF_BAND,		/* offload over the data channel */
	CCONF_LINK_IN_BAND		/* over the signal channel */
};

/* offload "NAME" { ... }: a DMS's offload (docs/offload.md). */
struct cconf_offload {
	char			*name;
	unsigned		 line;		/* of the block */
	char			*server;	/* NULL: the preferred one */
	enum cconf_link		 link;
	uint32_t		 start_pct;
	uint32_t		 stop_pct;
	uint32_t		 hold;		/* s below stop_pct */
	uint32_t		 few_reflectors;
	uint32_t		 path_mtu;
	uint32_t		 lifetime;	/* s */
	bool			 peace_time_acls;
	char			*acl_reflection; /* peace-time ACL names */
	char			*acl_non_reflection;
	char			*acl_name;	/* out-of-band ACLs' base */
	char			*data_channel_url;
	char			*dotsctl;	/* runs the data channel */
	char			*report_file;	/* re-read when it changes */
	char			*report_command; /* run every interval */
	uint32_t		 report_interval; /* s */
};

struct cconf {
	char			*path;
	char			*database;
	char			*control_socket;
	enum log_level		 log_level;
	bool			 syslog;
	char			*on_signal_loss;
	char			*on_signal_recovery;
	uint32_t		 reconnect_min;	/* s */
	uint32_t		 reconnect_max;	/* s */
	uint32_t		 max_pending;
	uint32_t		 retry_interval; /* s, undelivered requests */
	struct cconf_server	*server;
	size_t			 n_server;
	struct trig_thr_conf	*threshold;	/* docs/triggers.md */
	size_t			 n_threshold;
	struct cconf_offload	*offload;	/* at most one */
	size_t			 n_offload;
	uint64_t		 cli_set;	/* private to conf.c */
};

/* conf_clientd.c */

/** Read @p path; **new** tree in @p out (cconf_free).  See conf_parse_file. */
int	cconf_parse_file(const char *path, struct cconf **out, char *err,
	    size_t errlen);
int	cconf_parse_buf(const char *buf, size_t len, const char *name,
	    struct cconf **out, char *err, size_t errlen);
void	cconf_free(struct cconf *c);
/** A command-line override of a top-level keyword (as conf_set). */
int	cconf_set(struct cconf *c, const char *key, const char *value,
	    char *err, size_t errlen);
void	cconf_print(FILE *f, const struct cconf *c);
const struct cconf_server *cconf_server_by_name(const struct cconf *c,
	    const char *name);

#endif /* DOTSCD_CONF_H */
