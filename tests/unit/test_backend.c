/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The mitigator backends (src/backend): the type table and be_emit()'s
 * bookkeeping, the JSON form of a mitigation, the log backend, and the
 * exec backend driven with small shell scripts written into a temporary
 * directory: success, failure and its reason, timeout (the whole process
 * group dies), statistics, a withdraw queued behind a slow apply,
 * capacity, configuration errors, and what the program receives on its
 * standard input, in its environment and in its file descriptors.
 *
 * Backends report from poll() only, so every test drives poll() in a loop
 * until the reports it waits for arrive or a deadline passes.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include <dots/error.h>
#include <dots/model.h>

#include "backend.h"

#define MAX_REPORTS	16

struct fx {
	char			 dir[64];
	struct dots_signal	*sig;
	struct be_mitigation	 m;
	struct backend		*be;
	struct be_report	 rep[MAX_REPORTS];
	size_t			 nrep;
	bool			 withdraw_on_active;	/* re-entrancy test */
	int			 reenter_ret;
};

static void
collect(void *arg, const struct be_report *r)
{
	struct fx *fx = arg;

	if (fx->nrep < MAX_REPORTS)
		fx->rep[fx->nrep++] = *r;
	if (fx->withdraw_on_active && r->state == BE_ACTIVE) {
		fx->withdraw_on_active = false;
		fx->reenter_ret = fx->be->ops->withdraw(fx->be, r->id);
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* poll() until @p n reports in all, or @p seconds pass.  @return true if so */
static bool
wait_reports(struct fx *fx, size_t n, double seconds)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	double end = now_s() + seconds;

	for (;;) {
		fx->be->ops->poll(fx->be);
		if (fx->nrep >= n)
			return true;
		if (now_s() > end)
			return false;
		nanosleep(&tick, NULL);
	}
}

static void
must_wait(struct fx *fx, size_t n, double seconds)
{
	if (!wait_reports(fx, n, seconds))
		fail_msg("%zu report(s) after %.1fs, want %zu", fx->nrep,
		    seconds, n);
}

/* A mitigation of UDP to 192.0.2.0/24 port 53 (and a v6 prefix). */
static void
fx_mitigation(struct fx *fx, uint64_t id)
{
	struct dots_scope *s;

	if (fx->sig == NULL) {
		fx->sig = dots_signal_new(DOTS_SIG_MITIGATION);
		assert_non_null(fx->sig);
		s = dots_signal_add_scopes(fx->sig, 1);
		assert_non_null(s);
		s->target.prefix = dots_signal_alloc(fx->sig,
		    2 * sizeof(*s->target.prefix));
		assert_int_equal(dots_prefix_parse("192.0.2.0/24",
		    &s->target.prefix[0], NULL), DOTS_OK);
		assert_int_equal(dots_prefix_parse("2001:db8::/32",
		    &s->target.prefix[1], NULL), DOTS_OK);
		s->target.n_prefix = 2;
		s->target.port_range = dots_signal_alloc(fx->sig,
		    sizeof(*s->target.port_range));
		s->target.port_range[0].lower_port = 53;
		s->target.n_port_range = 1;
		s->target.protocol = dots_signal_alloc(fx->sig, 1);
		s->target.protocol[0] = 17;
		s->target.n_protocol = 1;
		s->lifetime = 3600;
		s->present |= DOTS_SCOPE_LIFETIME;
	}
	fx->m.id = id;
	fx->m.cuid = "dz6pHjaADkaFTbjr0JGBpw";
	fx->m.client = "example-client";
	fx->m.mid = 123;
	fx->m.scope = &fx->sig->mitigation.scope[0];
	fx->m.lifetime = 3600;
}

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	strcpy(fx->dir, "/tmp/test_backend.XXXXXX");
	if (mkdtemp(fx->dir) == NULL) {
		free(fx);
		return -1;
	}
	fx_mitigation(fx, 42);
	*state = fx;
	return 0;
}

/* The temporary directory holds plain files only. */
static void
rm_dir(const char *dir)
{
	struct dirent *de;
	char path[512];
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	be_free(fx->be);
	dots_signal_free(fx->sig);
	rm_dir(fx->dir);
	free(fx);
	return 0;
}

/* "DIR/name" in a static buffer (one at a time is enough). */
static const char *
fx_path(struct fx *fx, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", fx->dir, name);
	return buf;
}

/* Write an executable /bin/sh script; @p body may use %s for the dir. */
static void
write_script(struct fx *fx, const char *name, const char *body, char *path,
    size_t len)
{
	FILE *f;

	fx_path(fx, name, path, len);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n");
	fprintf(f, body, fx->dir, fx->dir, fx->dir);
	fclose(f);
	assert_int_equal(chmod(path, 0755), 0);
}

/* The whole file, **new** NUL-terminated, or NULL. */
static char *
slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0, n;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return NULL;
	buf = malloc(1 << 20);
	if (buf != NULL) {
		n = fread(buf, 1, (1 << 20) - 1, f);
		len = n;
		buf[len] = '\0';
	}
	fclose(f);
	return buf;
}

static struct backend *
fx_new(struct fx *fx, const char *type, const struct be_setting *set,
    size_t n)
{
	char err[256];

	fx->be = be_new(type, "m1", set, n, collect, fx, err, sizeof(err));
	if (fx->be == NULL)
		fail_msg("be_new(%s): %s", type, err);
	return fx->be;
}

/* Free the backend, so that the test can make another one. */
static void
fx_free_be(struct fx *fx)
{
	be_free(fx->be);
	fx->be = NULL;
	fx->nrep = 0;
}

/* be_new() must fail with a sentence containing @p want. */
static void
check_init_error(const char *type, const struct be_setting *set, size_t n,
    const char *want)
{
	struct backend *be;
	char err[256];

	err[0] = '\0';
	be = be_new(type, "m1", set, n, collect, NULL, err, sizeof(err));
	if (be != NULL) {
		be_free(be);
		fail_msg("%s backend accepted a bad configuration", type);
	}
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" does not say \"%s\"", err, want);
	/* a sentence, with the instance name for the operator */
	assert_non_null(strstr(err, "mitigator \"m1\": "));
}

static json_t *
json_of_mitigation(const struct be_mitigation *m)
{
	char *text = be_mitigation_json(m);
	json_t *j;

	assert_non_null(text);
	j = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(j);
	return j;
}

/*
 * The table, be_new, the JSON.
 */

static void
test_be_lookup(void **state)
{
	(void)state;
	assert_ptr_equal(be_lookup("log"), &be_log_ops);
	assert_ptr_equal(be_lookup("exec"), &be_exec_ops);
	assert_null(be_lookup("flowspec-typo"));
	assert_null(be_lookup(""));
	assert_null(be_lookup(NULL));
	check_init_error("nope", NULL, 0, "unknown type \"nope\" (known "
	    "types: log, exec, flowspec, rtbh, policy, dots)");
	be_free(NULL);
}

static void
test_be_mitigation_json(void **state)
{
	struct fx *fx = *state;
	json_t *j, *scope;

	j = json_of_mitigation(&fx->m);
	assert_int_equal(json_object_size(j), 6);
	assert_int_equal(json_integer_value(json_object_get(j, "id")), 42);
	assert_string_equal(json_string_value(json_object_get(j, "cuid")),
	    "dz6pHjaADkaFTbjr0JGBpw");
	assert_string_equal(json_string_value(json_object_get(j, "client")),
	    "example-client");
	assert_int_equal(json_integer_value(json_object_get(j, "mid")), 123);
	assert_int_equal(json_integer_value(json_object_get(j, "lifetime")),
	    3600);
	scope = json_object_get(j, "scope");
	assert_true(json_is_object(scope));
	/* RFC 7951 member names of the scope, unqualified inside it */
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(scope, "target-prefix"), 0)), "192.0.2.0/24");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(scope, "target-prefix"), 1)), "2001:db8::/32");
	assert_int_equal(json_integer_value(json_array_get(
	    json_object_get(scope, "target-protocol"), 0)), 17);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    json_object_get(scope, "target-port-range"), 0), "lower-port")),
	    53);
	json_decref(j);

	/* indefinite lifetime; a NULL client name is null */
	fx->m.lifetime = -1;
	fx->m.client = NULL;
	j = json_of_mitigation(&fx->m);
	assert_int_equal(json_integer_value(json_object_get(j, "lifetime")),
	    -1);
	assert_true(json_is_null(json_object_get(j, "client")));
	json_decref(j);

	/* ids are JSON integers: up to 2^63-1 */
	fx->m.id = UINT64_MAX;
	errno = 0;
	assert_null(be_mitigation_json(&fx->m));
	assert_int_equal(errno, EINVAL);
	assert_null(be_mitigation_json(NULL));
}

/*
 * log
 */

/* Split a log line: "TIME NAME ACTION JSON".  @return the JSON, parsed */
static json_t *
log_line_json(const char *line, const char *want_action)
{
	char time[64], name[64], action[64];
	int off = 0;
	json_t *j;

	if (sscanf(line, "%63s %63s %63s %n", time, name, action, &off) != 3 ||
	    off == 0)
		fail_msg("log line \"%s\" has not 4 fields", line);
	assert_int_equal(strlen(time), strlen("2025-01-01T00:00:00Z"));
	assert_int_equal(time[strlen(time) - 1], 'Z');
	assert_string_equal(name, "m1");
	assert_string_equal(action, want_action);
	j = json_loads(line + off, JSON_DISABLE_EOF_CHECK, NULL);
	assert_non_null(j);
	return j;
}

static void
test_log_reports(void **state)
{
	struct fx *fx = *state;
	struct be_setting set[1];
	json_t *want, *got;
	char path[128], *text, *nl;
	struct backend *be;

	set[0] = (struct be_setting){ "file", fx_path(fx, "log", path,
	    sizeof(path)) };
	be = fx_new(fx, "log", set, 1);
	assert_string_equal(be->name, "m1");

	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	/* never from inside apply() */
	assert_int_equal(fx->nrep, 0);
	must_wait(fx, 1, 1);
	assert_int_equal(fx->rep[0].id, 42);
	assert_int_equal(fx->rep[0].state, BE_ACTIVE);
	assert_int_equal(be->active, 1);

	assert_int_equal(be->ops->withdraw(be, 42), 0);
	assert_int_equal(fx->nrep, 1);
	must_wait(fx, 2, 1);
	assert_int_equal(fx->rep[1].id, 42);
	assert_int_equal(fx->rep[1].state, BE_WITHDRAWN);
	assert_int_equal(be->active, 0);
	assert_int_equal(be->ops->withdraw(be, 42), -ENOENT);

	/* two lines, each with the same JSON as be_mitigation_json() */
	want = json_of_mitigation(&fx->m);
	text = slurp(path);
	assert_non_null(text);
	nl = strchr(text, '\n');
	assert_non_null(nl);
	*nl = '\0';
	got = log_line_json(text, "apply");
	assert_true(json_equal(got, want));
	json_decref(got);
	got = log_line_json(nl + 1, "withdraw");
	assert_true(json_equal(got, want));
	json_decref(got);
	nl = strchr(nl + 1, '\n');
	assert_non_null(nl);
	assert_int_equal(nl[1], '\0');
	free(text);
	json_decref(want);
}

static void
test_log_reentrant(void **state)
{
	struct fx *fx = *state;
	struct be_setting set[1];
	char path[128];
	struct backend *be;

	set[0] = (struct be_setting){ "file", fx_path(fx, "log", path,
	    sizeof(path)) };
	be = fx_new(fx, "log", set, 1);
	/* the server withdraws from inside the report callback */
	fx->withdraw_on_active = true;
	fx->reenter_ret = -1;
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 2, 1);
	assert_int_equal(fx->reenter_ret, 0);
	assert_int_equal(fx->rep[0].state, BE_ACTIVE);
	assert_int_equal(fx->rep[1].state, BE_WITHDRAWN);
	assert_int_equal(be->active, 0);
}

static void
test_log_capacity(void **state)
{
	struct fx *fx = *state;
	struct be_setting set[2];
	char path[128];
	struct backend *be;

	set[0] = (struct be_setting){ "file", fx_path(fx, "log", path,
	    sizeof(path)) };
	set[1] = (struct be_setting){ "capacity", "1" };
	be = fx_new(fx, "log", set, 2);
	assert_int_equal(be->capacity, 1);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	fx_mitigation(fx, 43);
	assert_int_equal(be->ops->apply(be, &fx->m), -ENOSPC);
	/* a new apply of the same id is an update, not one more */
	fx_mitigation(fx, 42);
	fx->m.lifetime = 60;
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 2, 1);
	/* counted once */
	assert_int_equal(be->active, 1);
	assert_int_equal(be->ops->withdraw(be, 42), 0);
	fx_mitigation(fx, 43);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 4, 1);
	assert_int_equal(be->active, 1);
}

static void
test_log_settings(void **state)
{
	static const struct be_setting unknown[] = { { "path", "/tmp/x" } };
	static const struct be_setting cap[] = { { "capacity", "-1" } };
	static const struct be_setting dir[] = {
		{ "file", "/nonexistent-dir/x.log" } };
	struct fx *fx = *state;

	check_init_error("log", unknown, 1, "unknown setting \"path\"");
	check_init_error("log", cap, 1, "setting \"capacity\" must be a "
	    "whole number");
	check_init_error("log", dir, 1, "cannot open log file "
	    "/nonexistent-dir/x.log");
	/* no file: standard error */
	fx_new(fx, "log", NULL, 0);
}

/*
 * exec
 */

static struct backend *
exec_new(struct fx *fx, const char *body, const char *timeout,
    const char *capacity, bool dir_arg)
{
	struct be_setting set[4];
	char path[128];
	size_t n = 0;

	write_script(fx, "mitigate.sh", body, path, sizeof(path));
	set[n++] = (struct be_setting){ "command", path };
	if (timeout != NULL)
		set[n++] = (struct be_setting){ "timeout", timeout };
	if (capacity != NULL)
		set[n++] = (struct be_setting){ "capacity", capacity };
	if (dir_arg)
		set[n++] = (struct be_setting){ "args", fx->dir };
	return fx_new(fx, "exec", set, n);
}

static void
test_exec_success(void **state)
{
	struct fx *fx = *state;
	struct backend *be;

	be = exec_new(fx, "cat >/dev/null\nexit 0\n", NULL, NULL, false);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	assert_int_equal(fx->nrep, 0);
	must_wait(fx, 1, 5);
	assert_int_equal(fx->rep[0].id, 42);
	assert_int_equal(fx->rep[0].state, BE_ACTIVE);
	assert_int_equal(fx->rep[0].flags, 0);
	assert_int_equal(be->active, 1);

	assert_int_equal(be->ops->withdraw(be, 42), 0);
	must_wait(fx, 2, 5);
	assert_int_equal(fx->rep[1].state, BE_WITHDRAWN);
	assert_int_equal(be->active, 0);
	assert_int_equal(be->ops->withdraw(be, 42), -ENOENT);
}

static void
test_exec_failure(void **state)
{
	struct fx *fx = *state;
	struct backend *be;

	/* the first line it prints is the reason, control bytes masked */
	be = exec_new(fx, "echo 'stats bytes=1'\necho\n"
	    "printf 'no route to the\\tscrubber\\r\\nsecond line\\n' >&2\n"
	    "exit 3\n", NULL, NULL, false);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 1, 5);
	assert_int_equal(fx->rep[0].state, BE_FAILED);
	assert_string_equal(fx->rep[0].reason, "no route to the?scrubber");
	assert_int_equal(be->active, 0);
	/* a failed apply holds nothing */
	assert_int_equal(be->ops->withdraw(be, 42), -ENOENT);
	fx_free_be(fx);

	/* silent: the exit status */
	be = exec_new(fx, "exit 4\n", NULL, NULL, false);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 1, 5);
	assert_int_equal(fx->rep[0].state, BE_FAILED);
	assert_string_equal(fx->rep[0].reason, "exited with status 4");
	fx_free_be(fx);

	be = exec_new(fx, "kill -TERM $$\n", NULL, NULL, false);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 1, 5);
	assert_int_equal(fx->rep[0].state, BE_FAILED);
	assert_string_equal(fx->rep[0].reason, "killed by signal 15");
}

/* Has process @p pid ended (gone, or a zombie nobody reaps)? */
static bool
process_ended(pid_t pid)
{
	char path[64], *stat, *p;
	bool ended;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	stat = slurp(path);
	if (stat == NULL)
		return true;
	p = strrchr(stat, ')');
	ended = p == NULL || p[1] == '\0' || p[2] == 'Z' || p[2] == 'X';
	free(stat);
	return ended;
}

static void
test_exec_timeout(void **state)
{
	struct fx *fx = *state;
	struct timespec tick = { 0, 20 * 1000 * 1000 };
	struct backend *be;
	char path[128], *text;
	double t0, end;
	pid_t pid;

	be = exec_new(fx, "sleep 5 &\necho $! > %s/sleep.pid\nwait\n", "1",
	    NULL, false);
	t0 = now_s();
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 1, 4);
	assert_true(now_s() - t0 < 3);
	assert_int_equal(fx->rep[0].state, BE_FAILED);
	assert_string_equal(fx->rep[0].reason, "timed out after 1s");
	assert_int_equal(be->active, 0);

	/* the kill reached the script's own child too */
	text = slurp(fx_path(fx, "sleep.pid", path, sizeof(path)));
	assert_non_null(text);
	pid = (pid_t)atoi(text);
	free(text);
	assert_true(pid > 0);
	for (end = now_s() + 2; !process_ended(pid) && now_s() < end;)
		nanosleep(&tick, NULL);
	if (!process_ended(pid))
		fail_msg("the script's sleep (pid %d) survived the timeout",
		    (int)pid);
}

static void
test_exec_stats(void **state)
{
	struct fx *fx = *state;
	struct backend *be;

	be = exec_new(fx, "cat >/dev/null\necho starting\n"
	    "echo 'stats bytes=1000 pkts=10 bps=8000 pps=1'\n", NULL, NULL,
	    false);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 1, 5);
	assert_int_equal(fx->rep[0].state, BE_ACTIVE);
	assert_int_equal(fx->rep[0].flags & BE_STATS_VALID, BE_STATS_VALID);
	assert_int_equal(fx->rep[0].bytes_dropped, 1000);
	assert_int_equal(fx->rep[0].pkts_dropped, 10);
	assert_int_equal(fx->rep[0].bps_dropped, 8000);
	assert_int_equal(fx->rep[0].pps_dropped, 1);
	assert_string_equal(fx->rep[0].reason, "");
}

static void
test_exec_withdraw_queued(void **state)
{
	struct fx *fx = *state;
	struct backend *be;
	char path[128], *trace;

	be = exec_new(fx, "echo \"$DOTS_ACTION start\" >> %s/trace\n"
	    "[ \"$DOTS_ACTION\" = apply ] && sleep 1\n"
	    "echo \"$DOTS_ACTION end\" >> %s/trace\n", NULL, NULL, false);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	/* while the apply runs */
	assert_int_equal(be->ops->withdraw(be, 42), 0);
	assert_int_equal(be->ops->withdraw(be, 42), -EALREADY);
	must_wait(fx, 2, 6);
	assert_int_equal(fx->rep[0].state, BE_ACTIVE);
	assert_int_equal(fx->rep[1].state, BE_WITHDRAWN);
	assert_int_equal(be->active, 0);
	trace = slurp(fx_path(fx, "trace", path, sizeof(path)));
	assert_non_null(trace);
	assert_string_equal(trace, "apply start\napply end\n"
	    "withdraw start\nwithdraw end\n");
	free(trace);
	assert_int_equal(be->ops->withdraw(be, 42), -ENOENT);
}

static void
test_exec_capacity(void **state)
{
	struct fx *fx = *state;
	struct backend *be;

	be = exec_new(fx, "exit 0\n", NULL, "1", false);
	assert_int_equal(be->capacity, 1);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	/* a pending apply counts already */
	fx_mitigation(fx, 43);
	assert_int_equal(be->ops->apply(be, &fx->m), -ENOSPC);
	must_wait(fx, 1, 5);
	assert_int_equal(be->ops->apply(be, &fx->m), -ENOSPC);
	/* an update of the same id takes no more room */
	fx_mitigation(fx, 42);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 2, 5);
	assert_int_equal(be->active, 1);
	/* the room is free once the withdraw is asked for */
	assert_int_equal(be->ops->withdraw(be, 42), 0);
	fx_mitigation(fx, 43);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 4, 5);
	assert_int_equal(be->active, 1);
}

static void
test_exec_settings(void **state)
{
	static const struct be_setting none[] = { { "timeout", "5" } };
	static const struct be_setting missing[] = {
		{ "command", "/nonexistent/mitigate" } };
	static const struct be_setting relative[] = {
		{ "command", "mitigate.sh" } };
	static const struct be_setting dir[] = { { "command", "/tmp" } };
	static const struct be_setting unknown[] = {
		{ "command", "/bin/true" }, { "shell", "yes" } };
	static const struct be_setting zero[] = {
		{ "command", "/bin/true" }, { "timeout", "0" } };
	static const struct be_setting big[] = {
		{ "command", "/bin/true" }, { "timeout", "1e3" } };
	struct fx *fx = *state;

	(void)fx;
	check_init_error("exec", NULL, 0, "setting \"command\" is required");
	check_init_error("exec", none, 1, "setting \"command\" is required: "
	    "the absolute path of the program to run");
	check_init_error("exec", missing, 1, "command /nonexistent/mitigate: "
	    "No such file or directory");
	check_init_error("exec", relative, 1, "must be an absolute path");
	check_init_error("exec", dir, 1, "command /tmp is not a regular file");
	check_init_error("exec", unknown, 2, "unknown setting \"shell\"");
	check_init_error("exec", zero, 2, "at least 1 second");
	check_init_error("exec", big, 2, "setting \"timeout\" must be a "
	    "whole number from 0 to 86400, not \"1e3\"");
}

/* Look for "KEY=VALUE" as a whole line of @p env. */
static void
check_env(const char *env, const char *line)
{
	const char *p = env;
	size_t len = strlen(line);

	for (; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 :
	    NULL)
		if (strncmp(p, line, len) == 0 &&
		    (p[len] == '\n' || p[len] == '\0'))
			return;
	fail_msg("no \"%s\" in the environment:\n%s", line, env);
}

static void
check_stdin(struct fx *fx, const char *file, const json_t *want)
{
	char path[128];
	json_t *got;

	got = json_load_file(fx_path(fx, file, path, sizeof(path)), 0, NULL);
	assert_non_null(got);
	assert_true(json_equal(got, want));
	json_decref(got);
}

static void
test_exec_child_input(void **state)
{
	struct fx *fx = *state;
	struct backend *be;
	json_t *want;
	char body[512], path[128], *env, *sig;
	int leak;

	/* a descriptor the program must not inherit */
	leak = open("/dev/null", O_RDONLY);
	assert_true(leak > 2);
	snprintf(body, sizeof(body), "cat > \"$1/stdin.$2\"\n"
	    "env > \"$1/env.$2\"\n"
	    "grep '^SigIgn' /proc/$$/status > \"$1/sig.$2\"\n"
	    "[ -e /proc/$$/fd/%d ] && { echo 'fd %d leaked'; exit 1; }\n"
	    "exit 0\n", leak, leak);
	be = exec_new(fx, body, NULL, NULL, true);

	/* what a daemon typically has: SIGPIPE ignored */
	signal(SIGPIPE, SIG_IGN);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	signal(SIGPIPE, SIG_DFL);
	close(leak);
	must_wait(fx, 1, 5);
	if (fx->rep[0].state != BE_ACTIVE)
		fail_msg("apply failed: %s", fx->rep[0].reason);

	assert_int_equal(be->ops->withdraw(be, 42), 0);
	must_wait(fx, 2, 5);
	assert_int_equal(fx->rep[1].state, BE_WITHDRAWN);

	/* stdin: exactly be_mitigation_json(), for apply and withdraw */
	want = json_of_mitigation(&fx->m);
	check_stdin(fx, "stdin.apply", want);
	check_stdin(fx, "stdin.withdraw", want);
	json_decref(want);

	env = slurp(fx_path(fx, "env.apply", path, sizeof(path)));
	assert_non_null(env);
	check_env(env, "DOTS_ACTION=apply");
	check_env(env, "DOTS_MITIGATION_ID=42");
	check_env(env, "DOTS_CUID=dz6pHjaADkaFTbjr0JGBpw");
	check_env(env, "DOTS_MID=123");
	check_env(env, "DOTS_MITIGATOR=m1");
	free(env);
	env = slurp(fx_path(fx, "env.withdraw", path, sizeof(path)));
	assert_non_null(env);
	check_env(env, "DOTS_ACTION=withdraw");
	check_env(env, "DOTS_MITIGATION_ID=42");
	free(env);

	sig = slurp(fx_path(fx, "sig.apply", path, sizeof(path)));
	assert_non_null(sig);
	check_env(sig, "SigIgn:\t0000000000000000");
	free(sig);
}

/*
 * The signal mask, seen by a program that is not a shell (dash clears
 * its mask itself): grep -q exits 0 at the first match in its own status
 * file, before it gets to the action argument, which is no file.
 */
static void
test_exec_signal_mask(void **state)
{
	static const char grep[] = "/usr/bin/grep";
	struct fx *fx = *state;
	struct be_setting set[2];
	sigset_t usr1, old;
	struct backend *be;

	if (access(grep, X_OK) != 0)
		skip();
	set[0] = (struct be_setting){ "command", grep };
	set[1] = (struct be_setting){ "args", "-q SigBlk:.0000000000000000 "
	    "/proc/self/status" };
	be = fx_new(fx, "exec", set, 2);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	must_wait(fx, 1, 5);
	if (fx->rep[0].state != BE_ACTIVE)
		fail_msg("the program ran with signals blocked: %s",
		    fx->rep[0].reason);
}

/* JSON far larger than a pipe holds: written over several polls. */
static void
test_exec_large_json(void **state)
{
	struct fx *fx = *state;
	struct dots_scope *s = &fx->sig->mitigation.scope[0];
	struct backend *be;
	json_t *want;
	char name[64];
	size_t i, n = 4000;

	s->target.fqdn = dots_signal_alloc(fx->sig, n * sizeof(char *));
	assert_non_null(s->target.fqdn);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "host-%05zu.a-rather-long-name."
		    "example.com", i);
		s->target.fqdn[i] = dots_signal_strdup(fx->sig, name);
	}
	s->target.n_fqdn = n;
	want = json_of_mitigation(&fx->m);

	be = exec_new(fx, "sleep 0.3\ncat > \"$1/stdin.$2\"\n", NULL, NULL,
	    true);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 1, 5);
	assert_int_equal(fx->rep[0].state, BE_ACTIVE);
	check_stdin(fx, "stdin.apply", want);
	fx_free_be(fx);

	/* a program that exits without reading: no SIGPIPE for us */
	be = exec_new(fx, "exit 0\n", NULL, NULL, false);
	assert_int_equal(be->ops->apply(be, &fx->m), 0);
	must_wait(fx, 1, 5);
	assert_int_equal(fx->rep[0].state, BE_ACTIVE);
	json_decref(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_be_lookup),
		cmocka_unit_test_setup_teardown(test_be_mitigation_json,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_reports, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_reentrant, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_capacity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_settings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_success, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_failure, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_timeout, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_stats, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_withdraw_queued,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_capacity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_settings, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_child_input, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_signal_mask, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_exec_large_json, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
