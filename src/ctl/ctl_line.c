/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What the conversations with dotscd (ctl_sock.c) and dotsd (ctl_srv.c)
 * share: reaching the daemon's UNIX socket, sending one request line, the
 * clock of their deadlines.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ctl.h"

int
ctl_line_connect(const char *path, const char *peer, const char *env,
    int *fd)
{
	struct sockaddr_un sun;

	*fd = -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "dotsctl: socket path %s is too long (at most "
		    "%zu bytes)\n", path, sizeof(sun.sun_path) - 1);
		return CTL_EXIT_USAGE;
	}
	strcpy(sun.sun_path, path);
	if ((*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		fprintf(stderr, "dotsctl: socket: %s\n", strerror(errno));
		return CTL_EXIT_UNREACHABLE;
	}
	if (connect(*fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "dotsctl: cannot reach %s at %s: %s", peer,
		    path, strerror(errno));
		if (errno == ENOENT || errno == ECONNREFUSED)
			fprintf(stderr, " (is %s running? -s PATH or %s names "
			    "another socket)", peer, env);
		else if (errno == EACCES)
			fprintf(stderr, " (the socket is for its group of "
			    "operators)");
		fputc('\n', stderr);
		close(*fd);
		*fd = -1;
		return CTL_EXIT_UNREACHABLE;
	}
	return CTL_EXIT_OK;
}

int
ctl_line_send(int fd, json_t *req, const char *peer,
    const volatile sig_atomic_t *interrupted)
{
	char *text = json_dumps(req, JSON_COMPACT);
	size_t len, off = 0;
	ssize_t n;

	if (text == NULL) {
		fprintf(stderr, "dotsctl: out of memory\n");
		return -1;
	}
	len = strlen(text);
	text[len++] = '\n';	/* json_dumps leaves room for the NUL */
	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n == -1 && errno == EINTR &&
		    (interrupted == NULL || !*interrupted))
			continue;
		if (n <= 0) {
			fprintf(stderr, "dotsctl: writing to %s: %s\n", peer,
			    strerror(errno));
			free(text);
			return -1;
		}
		off += (size_t)n;
	}
	free(text);
	return 0;
}

long long
ctl_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
