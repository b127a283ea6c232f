/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The "exec" mitigator: runs a program for every apply and withdraw, so
 * that a site can plug in whatever enforces its mitigations (a router API,
 * a firewall script) without writing C.  The program gets the mitigation
 * as one line of JSON on standard input (docs/mitigators.md), the action
 * as its last argument and in DOTS_ACTION, and answers with its exit
 * status: 0 means done, anything else fails the mitigation with the first
 * line it printed as the reason.  A line "stats bytes=N pkts=N bps=N pps=N"
 * fills the counters of the report.
 *
 * The server's loop must never wait for a program: apply() and withdraw()
 * fork and return, the JSON goes into a non-blocking pipe (the rest, if
 * the pipe is full, on later polls), and poll() reads the output,
 * collects exit statuses with waitpid(WNOHANG) on our own children only,
 * and kills a program's whole process group when it overruns the timeout.
 *
 * Runs for one mitigation id are serialized: a withdraw (or a new apply)
 * issued while a run for the same id is still going waits in a per-id
 * queue and starts when it ends.  Reports are delivered from poll() only.
 */
#define _GNU_SOURCE	/* pipe2, close_range */

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../backend.h"
#include "../be_util.h"

#define EX_OUT_MAX		1024	/* output kept for the reason */
#define EX_DRAIN_MAX		65536	/* output read per poll, at most */
#define EX_TIMEOUT_DEFAULT	10	/* seconds */
#define EX_TIMEOUT_MAX		86400
#define EX_ENV_N		6	/* variables given to the program */
#define EX_PATH_ENV		"PATH=/usr/local/sbin:/usr/local/bin:" \
				"/usr/sbin:/usr/bin:/sbin:/bin"

enum ex_action {
	EX_APPLY,
	EX_WITHDRAW
};

/* One run of the program, queued or in progress. */
struct ex_op {
	struct ex_op	*next;
	enum ex_action	 action;
	char		*json;		/* one line, with its newline */
	char		*cuid;
	uint32_t	 mid;
};

/* The process running the first op of a mitigation. */
struct ex_run {
	pid_t		 pid;		/* 0: not started */
	bool		 reaped;	/* status (or spawn_err) is final */
	bool		 timed_out;
	bool		 lost;		/* reaped elsewhere: no status */
	int		 status;	/* from waitpid */
	int		 spawn_err;	/* errno if it could not start */
	int		 in_fd;		/* write end of its stdin, or -1 */
	int		 in_keep;	/* our copy of the read end, or -1 */
	size_t		 in_off;
	int		 out_fd;	/* read end of its stdout+stderr, -1 */
	size_t		 out_len;
	char		 out[EX_OUT_MAX];
	struct timespec	 deadline;
};

/* Everything about one mitigation id. */
struct ex_mit {
	struct ex_mit	*next;
	uint64_t	 id;
	bool		 held;		/* last asked to apply: uses capacity */
	char		*json;		/* of the last apply, for withdraw */
	char		*cuid;
	uint32_t	 mid;
	struct ex_op	*ops;		/* the first one runs */
	struct ex_op	**ops_tail;
	struct ex_run	 run;
};

struct be_exec {
	char		**argv;		/* command, args..., action, NULL */
	size_t		 argc;		/* our copies; argv[argc]: action */
	unsigned	 timeout;	/* seconds */
	struct ex_mit	*mits;
	unsigned	 n_held;
	struct be_rq	 rq;
};

/* Not const: they go into an argv, which execve() wants as char *. */
static char ex_arg_apply[] = "apply";
static char ex_arg_withdraw[] = "withdraw";

static char *const ex_action_names[] = {
	[EX_APPLY] = ex_arg_apply,
	[EX_WITHDRAW] = ex_arg_withdraw,
};

/*
 * Settings.
 */

/* Append a copy of a word to argv, keeping room for the action. */
static int
ex_argv_push(struct be_exec *x, const char *w, size_t len)
{
	char **v;

	v = realloc(x->argv, (x->argc + 3) * sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	x->argv = v;
	x->argv[x->argc] = strndup(w, len);
	if (x->argv[x->argc] == NULL)
		return -ENOMEM;
	x->argc++;
	x->argv[x->argc] = NULL;
	return 0;
}

/* Append the blank-separated words of @p s (no quoting). */
static int
ex_args_add(struct be_exec *x, const char *s)
{
	const char *p = s, *start;
	int ret;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 0;
		start = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		ret = ex_argv_push(x, start, (size_t)(p - start));
		if (ret != 0)
			return ret;
	}
}

static int
ex_check_command(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int e;

	if (path == NULL || path[0] == '\0') {
		be_errf(err, errlen, "setting \"command\" is required: the "
		    "absolute path of the program to run");
		return -EINVAL;
	}
	/* no shell and no PATH search: say exactly what runs */
	if (path[0] != '/' || strpbrk(path, " \t") != NULL) {
		be_errf(err, errlen, "setting \"command\" must be an absolute "
		    "path without blanks, not \"%s\"", path);
		return -EINVAL;
	}
	if (stat(path, &st) == -1) {
		e = errno;
		be_errf(err, errlen, "command %s: %s", path, strerror(e));
		return -e;
	}
	if (!S_ISREG(st.st_mode)) {
		be_errf(err, errlen, "command %s is not a regular file", path);
		return -EINVAL;
	}
	if (access(path, X_OK) == -1) {
		e = errno;
		be_errf(err, errlen, "command %s is not executable: %s", path,
		    strerror(e));
		return -e;
	}
	return 0;
}

static int
ex_settings(struct backend *be, struct be_exec *x,
    const struct be_setting *settings, size_t nsettings, char *err,
    size_t errlen)
{
	const char *command = NULL;
	unsigned long long v;
	size_t i;
	int ret;

	x->timeout = EX_TIMEOUT_DEFAULT;
	for (i = 0; i < nsettings; i++) {
		const struct be_setting *s = &settings[i];

		ret = 0;
		if (strcmp(s->key, "command") == 0) {
			command = s->value;
		} else if (strcmp(s->key, "args") == 0) {
			/* handled below, once argv[0] is known */
		} else if (strcmp(s->key, "timeout") == 0) {
			ret = be_setting_uint(s->key, s->value,
			    EX_TIMEOUT_MAX, &v, err, errlen);
			if (ret == 0 && v == 0) {
				be_errf(err, errlen, "setting \"timeout\" "
				    "must be at least 1 second");
				ret = -EINVAL;
			}
			if (ret == 0)
				x->timeout = (unsigned)v;
		} else if (strcmp(s->key, "capacity") == 0) {
			ret = be_setting_uint(s->key, s->value, UINT32_MAX,
			    &v, err, errlen);
			if (ret == 0)
				be->capacity = (unsigned)v;
		} else {
			be_errf(err, errlen, "unknown setting \"%s\" (the exec "
			    "mitigator knows \"command\", \"args\", "
			    "\"timeout\" and \"capacity\")", s->key);
			ret = -EINVAL;
		}
		if (ret != 0)
			return ret;
	}
	ret = ex_check_command(command, err, errlen);
	if (ret != 0)
		return ret;

	ret = ex_argv_push(x, command, strlen(command));
	for (i = 0; ret == 0 && i < nsettings; i++)
		if (strcmp(settings[i].key, "args") == 0 &&
		    settings[i].value != NULL)
			ret = ex_args_add(x, settings[i].value);
	if (ret != 0)
		be_errf(err, errlen, "%s", strerror(-ret));
	return ret;
}

static void
ex_argv_free(struct be_exec *x)
{
	size_t i;

	/* argv[argc], the action, is one of ex_action_names */
	for (i = 0; i < x->argc; i++)
		free(x->argv[i]);
	free(x->argv);
	x->argv = NULL;
	x->argc = 0;
}

static int
ex_init(struct backend *be, const struct be_setting *settings,
    size_t nsettings, char *err, size_t errlen)
{
	struct be_exec *x;
	int ret;

	x = calloc(1, sizeof(*x));
	if (x == NULL)
		return -ENOMEM;
	ret = ex_settings(be, x, settings, nsettings, err, errlen);
	if (ret != 0) {
		ex_argv_free(x);
		free(x);
		return ret;
	}
	be->priv = x;
	return 0;
}

/*
 * The child.
 */

/* The text of the errors execve() usually gives; strerror() is not
 * async-signal-safe. */
static const char *
ex_exec_errtext(int e)
{
	switch (e) {
	case ENOENT:
		return "no such file or directory";
	case EACCES:
		return "permission denied";
	case ENOEXEC:
		return "not an executable format";
	case ETXTBSY:
		return "text file busy";
	case ENOMEM:
		return "out of memory";
	case E2BIG:
		return "argument list too long";
	default:
		return "cannot execute";
	}
}

/* write(2) of a string, in the child; errors are moot there. */
static void
ex_child_puts(const char *s)
{
	ssize_t n = write(STDOUT_FILENO, s, strlen(s));

	(void)n;
}

static void
ex_close_from(int lowfd, int maxfd)
{
	int fd;

#ifdef HAVE_CLOSE_RANGE
	if (close_range((unsigned)lowfd, ~0u, 0) == 0)
		return;
	/* ENOSYS before Linux 5.9: fall back to the loop */
#endif
	for (fd = lowfd; fd < maxfd; fd++)
		close(fd);
}

/*
 * After fork(): only async-signal-safe calls.  Its own process group, so
 * that a timeout kills what it started too; stdin and stdout+stderr on
 * the pipes; no other descriptor; default signal dispositions and mask
 * (the daemon may ignore SIGPIPE or block SIGCHLD; programs expect
 * neither).
 */
static void __attribute__((noreturn))
ex_child(int in, int out, int maxfd, char *const argv[], char *const envp[])
{
	struct sigaction sa;
	sigset_t none;
	int a, b, sig;

	setpgid(0, 0);
	/* above 2 first, so that dup2 cannot clobber one with the other */
	a = fcntl(in, F_DUPFD, 3);
	b = fcntl(out, F_DUPFD, 3);
	if (a == -1 || b == -1 || dup2(a, STDIN_FILENO) == -1 ||
	    dup2(b, STDOUT_FILENO) == -1 || dup2(b, STDERR_FILENO) == -1)
		_exit(126);
	ex_close_from(3, maxfd);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &sa, NULL);	/* EINVAL for some */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);

	execve(argv[0], argv, envp);
	ex_child_puts("cannot execute ");
	ex_child_puts(argv[0]);
	ex_child_puts(": ");
	ex_child_puts(ex_exec_errtext(errno));
	ex_child_puts("\n");
	_exit(127);
}

/*
 * Starting and watching a run.
 */

static void
ex_fd_close(int *fd)
{
	if (*fd != -1) {
		close(*fd);
		*fd = -1;
	}
}

static void
ex_run_reset(struct ex_run *run)
{
	ex_fd_close(&run->in_fd);
	ex_fd_close(&run->in_keep);
	ex_fd_close(&run->out_fd);
	memset(run, 0, offsetof(struct ex_run, out));
	run->in_fd = run->in_keep = run->out_fd = -1;
}

/*
 * Write what the pipe takes of the JSON.  We hold a read end of the pipe
 * until all is written, so the write can never raise SIGPIPE, even when
 * the program exits without reading: it just fills, and we stop when the
 * program is reaped.
 */
static void
ex_feed(struct ex_run *run, const char *json)
{
	size_t len = strlen(json);
	ssize_t n;

	while (run->in_fd != -1 && run->in_off < len) {
		n = write(run->in_fd, json + run->in_off, len - run->in_off);
		if (n > 0) {
			run->in_off += (size_t)n;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;		/* the rest on a later poll */
		break;
	}
	/* all written (or unwritable): the program sees end of file */
	ex_fd_close(&run->in_fd);
	ex_fd_close(&run->in_keep);
}

/*
 * Read the program's output; keep the first EX_OUT_MAX bytes.  At most
 * EX_DRAIN_MAX bytes per call, so that a program that writes without end
 * cannot hold the loop: the rest waits in the pipe for the next poll.
 */
static void
ex_drain(struct ex_run *run)
{
	char sink[4096];
	size_t room, budget = EX_DRAIN_MAX;
	ssize_t n;

	while (run->out_fd != -1 && budget > 0) {
		room = sizeof(run->out) - run->out_len;
		if (room > 0)
			n = read(run->out_fd, run->out + run->out_len, room);
		else
			n = read(run->out_fd, sink, sizeof(sink));
		if (n > 0) {
			if (room > 0)
				run->out_len += (size_t)n;
			budget -= (size_t)n < budget ? (size_t)n : budget;
			continue;
		}
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		ex_fd_close(&run->out_fd);	/* end of file or error */
	}
}

static int
ex_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl == -1 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) == -1)
		return -errno;
	return 0;
}

/* A **new** formatted string, or NULL. */
static char *
ex_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *
ex_strf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/*
 * The whole environment of a run: a fixed PATH and the DOTS_ variables,
 * nothing inherited from the daemon.  **new** strings in @p envp (NULL
 * terminated), free with ex_env_free(), also on failure.
 */
static int
ex_env_build(const struct backend *be, const struct ex_mit *mit,
    const struct ex_op *op, char *envp[EX_ENV_N + 1])
{
	int i;

	envp[0] = ex_strf("%s", EX_PATH_ENV);
	envp[1] = ex_strf("DOTS_ACTION=%s", ex_action_names[op->action]);
	envp[2] = ex_strf("DOTS_MITIGATOR=%s", be->name);
	envp[3] = ex_strf("DOTS_MITIGATION_ID=%" PRIu64, mit->id);
	envp[4] = ex_strf("DOTS_CUID=%s", op->cuid);
	envp[5] = ex_strf("DOTS_MID=%" PRIu32, op->mid);
	envp[EX_ENV_N] = NULL;
	for (i = 0; i < EX_ENV_N; i++)
		if (envp[i] == NULL)
			return -ENOMEM;
	return 0;
}

static void
ex_env_free(char *envp[EX_ENV_N + 1])
{
	int i;

	for (i = 0; i < EX_ENV_N; i++) {
		free(envp[i]);
		envp[i] = NULL;
	}
}

/* Start the first op of @p mit.  @return 0 or -errno (nothing started) */
static int
ex_spawn(struct backend *be, struct ex_mit *mit)
{
	struct be_exec *x = be->priv;
	struct ex_op *op = mit->ops;
	struct ex_run *run = &mit->run;
	struct rlimit rl;
	char *envp[EX_ENV_N + 1];
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, maxfd = 1024, ret, i;
	pid_t pid;

	ret = ex_env_build(be, mit, op, envp);
	if (ret != 0)
		goto fail;
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(out, O_CLOEXEC) == -1 ||
	    ex_nonblock(in[1]) != 0 || ex_nonblock(out[0]) != 0) {
		ret = -errno;
		goto fail;
	}
	/* for ex_close_from's fallback; getrlimit is no async-safe call */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		maxfd = rl.rlim_cur > 65536 ? 65536 : (int)rl.rlim_cur;
	x->argv[x->argc] = ex_action_names[op->action];
	x->argv[x->argc + 1] = NULL;

	pid = fork();
	if (pid == -1) {
		ret = -errno;
		goto fail;
	}
	if (pid == 0)
		ex_child(in[0], out[1], maxfd, x->argv, envp);
	/* NOTREACHED in the child */

	/* both sides set the group, so that a kill right now reaches it */
	(void)setpgid(pid, pid);
	close(out[1]);
	ex_env_free(envp);
	ex_run_reset(run);
	run->pid = pid;
	run->in_fd = in[1];
	run->in_keep = in[0];
	run->out_fd = out[0];
	clock_gettime(CLOCK_MONOTONIC, &run->deadline);
	run->deadline.tv_sec += x->timeout;
	ex_feed(run, op->json);
	return 0;
fail:
	ex_env_free(envp);
	for (i = 0; i < 2; i++) {
		if (in[i] != -1)
			close(in[i]);
		if (out[i] != -1)
			close(out[i]);
	}
	return ret;
}

/*
 * Reports.
 */

/* Parse "stats bytes=N pkts=N bps=N pps=N" (any order, any subset). */
static bool
ex_parse_stats(const char *line, size_t len, struct be_report *r)
{
	static const char *const keys[] = { "bytes", "pkts", "bps", "pps" };
	uint64_t val[4] = { 0, 0, 0, 0 };
	char buf[256], *tok, *save = NULL, *eq, *end;
	unsigned long long v;
	bool any = false;
	size_t k;

	if (len < 6 || len >= sizeof(buf) || memcmp(line, "stats ", 6) != 0)
		return false;
	memcpy(buf, line + 6, len - 6);
	buf[len - 6] = '\0';
	for (tok = strtok_r(buf, " \t\r", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t\r", &save)) {
		eq = strchr(tok, '=');
		if (eq == NULL || eq[1] < '0' || eq[1] > '9')
			return false;
		*eq = '\0';
		errno = 0;
		v = strtoull(eq + 1, &end, 10);
		if (errno != 0 || *end != '\0')
			return false;
		for (k = 0; k < 4; k++)
			if (strcmp(tok, keys[k]) == 0)
				break;
		if (k == 4)
			continue;	/* a counter of a later version */
		val[k] = v;
		any = true;
	}
	if (!any)
		return false;
	r->bytes_dropped = val[0];
	r->pkts_dropped = val[1];
	r->bps_dropped = val[2];
	r->pps_dropped = val[3];
	r->flags |= BE_STATS_VALID;
	return true;
}

/*
 * Fill the statistics and, unless given already, the reason from the
 * output.  The reason goes to the DOTS client: printable ASCII only.
 */
static void
ex_parse_output(const struct ex_run *run, struct be_report *r)
{
	const char *p = run->out, *end = run->out + run->out_len, *nl;
	size_t len, i, o;

	for (; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		len = (size_t)(nl - p);
		if (ex_parse_stats(p, len, r) || r->reason[0] != '\0')
			continue;
		for (i = 0, o = 0; i < len && o < sizeof(r->reason) - 1; i++) {
			unsigned char c = (unsigned char)p[i];

			if (c == '\r' && i + 1 == len)
				break;
			r->reason[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		while (o > 0 && r->reason[o - 1] == ' ')
			o--;
		r->reason[o] = '\0';
	}
}

static void
ex_report_build(const struct be_exec *x, const struct ex_mit *mit,
    const struct ex_op *op, struct be_report *r)
{
	const struct ex_run *run = &mit->run;
	int st = run->status;

	be_report_init(r, mit->id, BE_FAILED);
	if (run->spawn_err != 0) {
		snprintf(r->reason, sizeof(r->reason), "cannot run %s: %s",
		    x->argv[0], strerror(run->spawn_err));
		return;
	}
	if (run->timed_out) {
		snprintf(r->reason, sizeof(r->reason),
		    "timed out after %us", x->timeout);
		return;
	}
	if (run->lost) {
		snprintf(r->reason, sizeof(r->reason), "lost the exit status "
		    "of %s", x->argv[0]);
		return;
	}
	ex_parse_output(run, r);
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		r->state = op->action == EX_APPLY ? BE_ACTIVE : BE_WITHDRAWN;
		r->reason[0] = '\0';
	} else if (r->reason[0] != '\0') {
		/* the program said why */
	} else if (WIFEXITED(st)) {
		snprintf(r->reason, sizeof(r->reason),
		    "exited with status %d", WEXITSTATUS(st));
	} else {
		snprintf(r->reason, sizeof(r->reason),
		    "killed by signal %d", WTERMSIG(st));
	}
}

/*
 * The first op of @p mit is over: queue its report and drop it.
 * @return 0, or -ENOMEM and nothing changed (tried again next poll)
 */
static int
ex_finish(struct backend *be, struct ex_mit *mit)
{
	struct be_exec *x = be->priv;
	struct ex_op *op = mit->ops;
	struct be_report r;

	ex_report_build(x, mit, op, &r);
	if (be_rq_push(&x->rq, &r) != 0)
		return -ENOMEM;
	ex_run_reset(&mit->run);
	mit->ops = op->next;
	if (mit->ops == NULL)
		mit->ops_tail = &mit->ops;
	/* a failed apply with nothing after it leaves nothing to hold */
	if (op->action == EX_APPLY && r.state == BE_FAILED &&
	    mit->ops == NULL && mit->held) {
		mit->held = false;
		x->n_held--;
	}
	free(op->json);
	free(op->cuid);
	free(op);
	return 0;
}

static bool
ex_ts_passed(const struct timespec *now, const struct timespec *t)
{
	return now->tv_sec > t->tv_sec ||
	    (now->tv_sec == t->tv_sec && now->tv_nsec >= t->tv_nsec);
}

/* Check the running child of @p mit; set run->reaped once it ended. */
static void
ex_watch(struct ex_run *run, const char *json, const struct timespec *now)
{
	pid_t r;

	ex_feed(run, json);
	ex_drain(run);
	do
		r = waitpid(run->pid, &run->status, WNOHANG);
	while (r == -1 && errno == EINTR);
	if (r == 0) {
		if (!run->timed_out && ex_ts_passed(now, &run->deadline)) {
			/* the group: grandchildren too (a shell's commands) */
			kill(-run->pid, SIGKILL);
			run->timed_out = true;
		}
		return;
	}
	if (r == -1)
		run->lost = true;	/* ECHILD: SIGCHLD ignored? */
	ex_drain(run);	/* what it wrote before exiting */
	run->reaped = true;
}

static void
ex_mit_free(struct ex_mit *mit)
{
	struct ex_op *op, *next;

	for (op = mit->ops; op != NULL; op = next) {
		next = op->next;
		free(op->json);
		free(op->cuid);
		free(op);
	}
	free(mit->json);
	free(mit->cuid);
	free(mit);
}

static void
ex_mit_unlink(struct be_exec *x, struct ex_mit *mit)
{
	struct ex_mit **pp;

	for (pp = &x->mits; *pp != NULL; pp = &(*pp)->next)
		if (*pp == mit) {
			*pp = mit->next;
			break;
		}
}

/*
 * Move @p mit along: watch its run, report it when over, start the next
 * op.  @return true if @p mit was freed.
 */
static bool
ex_step(struct backend *be, struct ex_mit *mit, const struct timespec *now)
{
	struct be_exec *x = be->priv;
	struct ex_run *run = &mit->run;
	int ret;

	for (;;) {
		if (mit->ops == NULL) {
			if (mit->held)
				return false;
			ex_mit_unlink(x, mit);
			ex_mit_free(mit);
			return true;
		}
		if (!run->reaped && run->pid == 0) {
			ret = ex_spawn(be, mit);
			if (ret != 0) {
				run->reaped = true;
				run->spawn_err = -ret;
			}
		}
		if (!run->reaped)
			ex_watch(run, mit->ops->json, now);
		if (!run->reaped || ex_finish(be, mit) != 0)
			return false;
	}
}

/*
 * The ops.
 */

static struct ex_mit *
ex_mit_find(const struct be_exec *x, uint64_t id)
{
	struct ex_mit *mit;

	for (mit = x->mits; mit != NULL; mit = mit->next)
		if (mit->id == id)
			return mit;
	return NULL;
}

/* **new** op; takes ownership of @p json (freed on failure too). */
static struct ex_op *
ex_op_new(enum ex_action action, char *json, const char *cuid, uint32_t mid)
{
	struct ex_op *op;

	op = calloc(1, sizeof(*op));
	if (op == NULL || json == NULL ||
	    (op->cuid = strdup(cuid ? cuid : "")) == NULL) {
		free(op);
		free(json);
		return NULL;
	}
	op->action = action;
	op->json = json;
	op->mid = mid;
	return op;
}

/* be_mitigation_json() plus a newline.  **new**, NULL with errno set */
static char *
ex_json_line(const struct be_mitigation *m)
{
	char *json, *line;
	size_t len;

	json = be_mitigation_json(m);
	if (json == NULL)
		return NULL;
	len = strlen(json);
	line = realloc(json, len + 2);
	if (line == NULL) {
		free(json);
		errno = ENOMEM;
		return NULL;
	}
	line[len] = '\n';
	line[len + 1] = '\0';
	return line;
}

/* Queue @p op on @p mit, and start it if @p mit was idle. */
static int
ex_enqueue(struct backend *be, struct ex_mit *mit, struct ex_op *op)
{
	bool idle = mit->ops == NULL;
	int ret;

	*mit->ops_tail = op;
	mit->ops_tail = &op->next;
	if (!idle)
		return 0;
	ret = ex_spawn(be, mit);
	if (ret != 0) {
		mit->ops = NULL;
		mit->ops_tail = &mit->ops;
	}
	return ret;
}

static int
ex_apply(struct backend *be, const struct be_mitigation *m)
{
	struct be_exec *x = be->priv;
	struct ex_mit *mit = ex_mit_find(x, m->id);
	struct ex_op *op = NULL;
	char *json = NULL, *cuid = NULL;
	bool created = false;
	int ret = -ENOMEM;

	if ((mit == NULL || !mit->held) && be->capacity != 0 &&
	    x->n_held >= be->capacity)
		return -ENOSPC;
	op = ex_op_new(EX_APPLY, ex_json_line(m), m->cuid, m->mid);
	if (op == NULL)
		return errno == EINVAL ? -EINVAL : -ENOMEM;
	/* the copies a later withdraw will use */
	json = strdup(op->json);
	cuid = strdup(op->cuid);
	if (json == NULL || cuid == NULL)
		goto fail;
	if (mit == NULL) {
		mit = calloc(1, sizeof(*mit));
		if (mit == NULL)
			goto fail;
		mit->id = m->id;
		mit->ops_tail = &mit->ops;
		mit->run.in_fd = mit->run.in_keep = mit->run.out_fd = -1;
		created = true;
	}
	ret = ex_enqueue(be, mit, op);
	if (ret != 0)
		goto fail;
	if (created) {
		mit->next = x->mits;
		x->mits = mit;
	}
	free(mit->json);
	free(mit->cuid);
	mit->json = json;
	mit->cuid = cuid;
	mit->mid = m->mid;
	if (!mit->held) {
		mit->held = true;
		x->n_held++;
	}
	return 0;
fail:
	if (created)
		free(mit);
	if (op != NULL) {
		free(op->json);
		free(op->cuid);
		free(op);
	}
	free(json);
	free(cuid);
	return ret;
}

static int
ex_withdraw(struct backend *be, uint64_t id)
{
	struct be_exec *x = be->priv;
	struct ex_mit *mit = ex_mit_find(x, id);
	struct ex_op *op;
	int ret;

	if (mit == NULL)
		return -ENOENT;
	if (!mit->held)
		return -EALREADY;	/* a withdraw is queued or running */
	op = ex_op_new(EX_WITHDRAW, strdup(mit->json), mit->cuid, mit->mid);
	if (op == NULL)
		return -ENOMEM;
	ret = ex_enqueue(be, mit, op);
	if (ret != 0) {
		free(op->json);
		free(op->cuid);
		free(op);
		return ret;
	}
	mit->held = false;
	x->n_held--;
	return 0;
}

static void
ex_poll(struct backend *be)
{
	struct be_exec *x = be->priv;
	struct ex_mit *mit, *next;
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	for (mit = x->mits; mit != NULL; mit = next) {
		next = mit->next;	/* ex_step may free mit */
		ex_step(be, mit, &now);
	}
	be_rq_flush(be, &x->rq);
}

/*
 * Programs still running are killed with their process group and reaped:
 * the server re-applies its mitigations when it starts again.
 */
static void
ex_free(struct backend *be)
{
	struct be_exec *x = be->priv;
	struct ex_mit *mit, *next;
	pid_t r;

	if (x == NULL)
		return;
	for (mit = x->mits; mit != NULL; mit = next) {
		next = mit->next;
		if (mit->run.pid > 0 && !mit->run.reaped) {
			kill(-mit->run.pid, SIGKILL);
			do
				r = waitpid(mit->run.pid, NULL, 0);
			while (r == -1 && errno == EINTR);
		}
		ex_run_reset(&mit->run);
		ex_mit_free(mit);
	}
	be_rq_clear(&x->rq);
	ex_argv_free(x);
	free(x);
	be->priv = NULL;
}

/* The runs' pipes: their output, their end, room for the rest of the JSON. */
static size_t
ex_pollfds(struct backend *be, struct pollfd *out, size_t max)
{
	struct be_exec *x = be->priv;
	struct ex_mit *mit;
	size_t n = 0;

	for (mit = x->mits; mit != NULL; mit = mit->next) {
		if (mit->run.out_fd != -1) {
			if (n < max) {
				out[n].fd = mit->run.out_fd;
				out[n].events = POLLIN;
				out[n].revents = 0;
			}
			n++;
		}
		if (mit->run.in_fd != -1) {
			if (n < max) {
				out[n].fd = mit->run.in_fd;
				out[n].events = POLLOUT;
				out[n].revents = 0;
			}
			n++;
		}
	}
	return n;
}

const struct be_ops be_exec_ops = {
	.name = "exec",
	.acls = true,
	.init = ex_init,
	.apply = ex_apply,
	.withdraw = ex_withdraw,
	.pollfds = ex_pollfds,
	.poll = ex_poll,
	.free = ex_free,
};
