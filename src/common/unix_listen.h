/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The daemons' control sockets (dotsd's and dotscd's): a UNIX stream
 * socket at a path, made the same way for both.
 */
#ifndef DOTS_UNIX_LISTEN_H
#define DOTS_UNIX_LISTEN_H

#include <stddef.h>

/**
 * Listen on @p path, non-blocking, mode 0660 (a group of operators), its
 * directory made if missing (/run/opendots after a boot).  A socket left
 * by a daemon that died is replaced; one another daemon listens on, or
 * a file that is no socket, is not.
 * @return the descriptor, or -1 with a sentence in @p err
 */
int	unix_listen(const char *path, char *err, size_t errlen);

#endif /* DOTS_UNIX_LISTEN_H */
