/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsd start-up settings (from the configuration file and the command
 * line) and the entry points of the event loop (server.c).
 */
#ifndef DOTS_SERVER_H
#define DOTS_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "backend.h"
#include "dc.h"
#include "dotsd.h"

struct dotsd_listen {
	struct sockaddr_storage	ss;
	socklen_t		len;
};

struct dotsd_settings {
	struct dotsd_listen	*listen;
	size_t			 nlisten;
	bool			 dtls, tls;
	const char		*ca_file, *cert_file, *key_file;
	int			 abt_seconds;	/* active-but-terminating */
	int64_t			 max_lifetime;
	const char		*gateway_id;	/* for 5.08 (RFC 8768) */
	unsigned		 max_sessions, max_handshakes;
	const char		*control_socket;	/* NULL: none */
	struct backend		**backends;
	size_t			 nbackends;
	void			(*reload)(struct dotsd *d, void *arg);
	void			*reload_arg;
	/* the data channel, if dc.nlisten > 0; dotsd_init fills in the
	 * store and the client look-up */
	struct dc_settings	 dc;
};

int	dotsd_init(struct dotsd *d, const struct dotsd_settings *set,
	    char *err, size_t errlen);
int	dotsd_restore(struct dotsd *d);
int	dotsd_run(struct dotsd *d, const struct dotsd_settings *set);
void	dotsd_cleanup(struct dotsd *d);
/* The mitigators' report callback: to the ACLs or to the engine. */
void	dotsd_backend_report(void *arg, const struct be_report *r);

#endif /* DOTS_SERVER_H */
