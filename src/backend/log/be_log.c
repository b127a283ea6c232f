/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The "log" mitigator: enforces nothing, but writes one line per apply and
 * withdraw to a file (setting "file", default standard error) and reports
 * the mitigation active at once.  It is what a server runs before real
 * mitigators are wired in, and what tests and demos watch.
 *
 * A line is "TIME NAME ACTION JSON": the UTC time as 2006-01-02T15:04:05Z,
 * the instance name, "apply" or "withdraw", and the mitigation as
 * be_mitigation_json() writes it (docs/mitigators.md).  Each line goes out
 * in one write() to a file opened with O_APPEND, so several instances may
 * share a file.
 *
 * Reports are queued and delivered from poll(), never from inside apply()
 * or withdraw(): the server may be in the middle of its own bookkeeping.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../backend.h"
#include "../be_util.h"

/* One applied mitigation, kept for its withdraw line. */
struct log_mit {
	uint64_t	 id;
	char		*json;
};

struct be_log {
	int		 fd;
	bool		 own_fd;	/* opened by us, closed in free */
	struct log_mit	*mits;		/* sorted by id */
	size_t		 n_mits;
	size_t		 cap_mits;
	struct be_rq	 rq;
};

static int
log_init_settings(struct backend *be, struct be_log *lg,
    const struct be_setting *settings, size_t nsettings, char *err,
    size_t errlen)
{
	unsigned long long v;
	const char *file = NULL;
	size_t i;
	int ret;

	for (i = 0; i < nsettings; i++) {
		const struct be_setting *s = &settings[i];

		if (strcmp(s->key, "file") == 0) {
			file = s->value;
		} else if (strcmp(s->key, "capacity") == 0) {
			ret = be_setting_uint(s->key, s->value, UINT32_MAX,
			    &v, err, errlen);
			if (ret != 0)
				return ret;
			be->capacity = (unsigned)v;
		} else {
			be_errf(err, errlen, "unknown setting \"%s\" (the log "
			    "mitigator knows \"file\" and \"capacity\")",
			    s->key);
			return -EINVAL;
		}
	}
	if (file == NULL || file[0] == '\0') {
		lg->fd = STDERR_FILENO;
		return 0;
	}
	lg->fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (lg->fd == -1) {
		ret = -errno;
		be_errf(err, errlen, "cannot open log file %s: %s", file,
		    strerror(errno));
		return ret;
	}
	lg->own_fd = true;
	return 0;
}

static int
log_init(struct backend *be, const struct be_setting *settings,
    size_t nsettings, char *err, size_t errlen)
{
	struct be_log *lg;
	int ret;

	lg = calloc(1, sizeof(*lg));
	if (lg == NULL)
		return -ENOMEM;
	ret = log_init_settings(be, lg, settings, nsettings, err, errlen);
	if (ret != 0) {
		free(lg);
		return ret;
	}
	be->priv = lg;
	return 0;
}

/* Index of @p id in lg->mits, or where it would go; sets *found. */
static size_t
log_find(const struct be_log *lg, uint64_t id, bool *found)
{
	size_t lo = 0, hi = lg->n_mits, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (lg->mits[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < lg->n_mits && lg->mits[lo].id == id;
	return lo;
}

/* Write "TIME NAME ACTION JSON\n" in one write().  @return 0 or -errno */
static int
log_line(struct backend *be, const char *action, const char *json)
{
	struct be_log *lg = be->priv;
	struct timespec ts;
	struct tm tm;
	char stamp[32], *line;
	size_t len, off = 0;
	ssize_t n;
	int ret = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (gmtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strcpy(stamp, "-");
	len = strlen(stamp) + strlen(be->name) + strlen(action) +
	    strlen(json) + 5;
	line = malloc(len);
	if (line == NULL)
		return -ENOMEM;
	/* an empty instance name would shift the fields: write "-" */
	len = (size_t)snprintf(line, len, "%s %s %s %s\n", stamp,
	    be->name[0] ? be->name : "-", action, json);
	while (off < len) {
		n = write(lg->fd, line + off, len - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = n == 0 ? -EIO : -errno;
			break;
		}
		off += (size_t)n;
	}
	free(line);
	return ret;
}

static int
log_apply(struct backend *be, const struct be_mitigation *m)
{
	struct be_log *lg = be->priv;
	struct be_report r;
	struct log_mit *v;
	char *json;
	size_t at, cap;
	bool found;
	int ret;

	at = log_find(lg, m->id, &found);
	/* a new apply for a known id updates it and takes no more room */
	if (!found && be->capacity != 0 && lg->n_mits >= be->capacity)
		return -ENOSPC;
	if (!found && lg->n_mits == lg->cap_mits) {
		cap = lg->cap_mits ? lg->cap_mits * 2 : 16;
		v = realloc(lg->mits, cap * sizeof(*v));
		if (v == NULL)
			return -ENOMEM;
		lg->mits = v;
		lg->cap_mits = cap;
	}
	json = be_mitigation_json(m);
	if (json == NULL)
		return -errno;
	be_report_init(&r, m->id, BE_ACTIVE);
	ret = be_rq_push(&lg->rq, &r);
	if (ret != 0) {
		free(json);
		return ret;
	}
	ret = log_line(be, "apply", json);
	if (ret != 0) {
		lg->rq.n--;	/* take back the report just queued */
		free(json);
		return ret;
	}
	if (found) {
		free(lg->mits[at].json);
	} else {
		memmove(&lg->mits[at + 1], &lg->mits[at],
		    (lg->n_mits - at) * sizeof(*lg->mits));
		lg->mits[at].id = m->id;
		lg->n_mits++;
	}
	lg->mits[at].json = json;
	return 0;
}

static int
log_withdraw(struct backend *be, uint64_t id)
{
	struct be_log *lg = be->priv;
	struct be_report r;
	size_t at;
	bool found;
	int ret;

	at = log_find(lg, id, &found);
	if (!found)
		return -ENOENT;
	be_report_init(&r, id, BE_WITHDRAWN);
	ret = be_rq_push(&lg->rq, &r);
	if (ret != 0)
		return ret;
	ret = log_line(be, "withdraw", lg->mits[at].json);
	if (ret != 0) {
		lg->rq.n--;
		return ret;
	}
	free(lg->mits[at].json);
	memmove(&lg->mits[at], &lg->mits[at + 1],
	    (lg->n_mits - at - 1) * sizeof(*lg->mits));
	lg->n_mits--;
	return 0;
}

static void
log_poll(struct backend *be)
{
	struct be_log *lg = be->priv;

	be_rq_flush(be, &lg->rq);
}

static void
log_free(struct backend *be)
{
	struct be_log *lg = be->priv;
	size_t i;

	if (lg == NULL)
		return;
	for (i = 0; i < lg->n_mits; i++)
		free(lg->mits[i].json);
	free(lg->mits);
	be_rq_clear(&lg->rq);
	if (lg->own_fd)
		close(lg->fd);
	free(lg);
	be->priv = NULL;
}

const struct be_ops be_log_ops = {
	.name = "log",
	.acls = true,
	.init = log_init,
	.apply = log_apply,
	.withdraw = log_withdraw,
	.poll = log_poll,
	.free = log_free,
};
