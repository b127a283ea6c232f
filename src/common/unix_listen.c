/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The daemons' control sockets (unix_listen.h).
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unix_listen.h"

/* A file at @p path: a live socket is refused, a stale one removed. */
static int
clear_path(const char *path, const struct sockaddr_un *sun, char *err,
    size_t errlen)
{
	struct stat st;
	int fd, ret;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, errlen, "%s exists and is not a socket; not "
		    "replaced", path);
		return -2;
	}
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	ret = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (ret == 0 || errno == EAGAIN) {
		snprintf(err, errlen, "%s: another daemon listens on it", path);
		return -2;
	}
	/* left by a daemon that died */
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

/* The socket's directory, made if missing (/run/opendots after boot). */
static int
make_dir(const char *path)
{
	char *copy = strdup(path), *dir;
	struct stat st;
	int ret = 0;

	if (copy == NULL)
		return -1;
	dir = dirname(copy);
	if (stat(dir, &st) == -1 && errno == ENOENT &&
	    mkdir(dir, 0755) == -1 && errno != EEXIST)
		ret = -1;
	free(copy);
	return ret;
}

int
unix_listen(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	int fd, ret;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: longer than a socket's path may be "
		    "(%zu bytes)", path, sizeof(sun.sun_path) - 1);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if (make_dir(path) != 0 ||
	    (ret = clear_path(path, &sun, err, errlen)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (ret != 0)
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    chmod(path, 0660) == -1 || listen(fd, 16) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}
