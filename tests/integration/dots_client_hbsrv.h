/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * A minimal DOTS server for dots_client_test: it only sends heartbeats
 * (PUT /hb, RFC 9132 section 4.7) to each client that connects and
 * answers the client's own, to test the library's side of them.
 */
#ifndef DOTS_CLIENT_HBSRV_H
#define DOTS_CLIENT_HBSRV_H

#include <stdbool.h>
#include <stdint.h>

struct hbsrv_stats {
	int	sent;		/* heartbeats sent, good ones */
	int	answered_204;	/* ... answered 2.04 */
	int	bad_sent;	/* heartbeats without a body */
	int	answered_400;	/* ... answered 4.00 */
	int	got;		/* heartbeats from the client */
	int	got_peer_true;	/* ... with peer-hb-status true */
};

/* dots_client_hbsrv.c */
int	hbsrv_start(const char *certdir, uint16_t port);
void	hbsrv_process(void);
void	hbsrv_stop(void);
extern struct hbsrv_stats hbsrv;

#endif /* DOTS_CLIENT_HBSRV_H */
