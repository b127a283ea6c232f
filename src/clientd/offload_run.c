/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * What dotscd's offload runs beside its loop (offload_int.h):
 *
 * - report-file: looked at every report-interval, read again when its
 *   size, time or inode changed (a DMS that rewrites it with rename()
 *   is read once per version);
 * - report-command: run by /bin/sh -c every report-interval (not while
 *   the last run is still going); its standard output, once it exits 0,
 *   is the report;
 * - the data channel: dotsctl's `dc` commands, one after another, with
 *   the server's certificate: register, delete the offload ACLs that may
 *   exist, add the new ones from a file; or, to withdraw, delete them.
 *   One job at a time; what is wanted meanwhile is done after it.
 *
 * Children write into unlinked temporary files, read once they exited;
 * the daemon's SIGCHLD reaping hands their status to offload_child().
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clientd.h"
#include "log.h"
#include "offload_int.h"

/* A child with stdout (and stderr, if @p both) into @p out. */
static pid_t
spawn(char *const argv[], FILE *out, bool both)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	{
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(fileno(out), STDOUT_FILENO) == -1 ||
		    (both && dup2(fileno(out), STDERR_FILENO) == -1))
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
}

/* The whole of @p f, NUL-terminated, at most OFFLOAD_REPORT_MAX. */
static char *
slurp(FILE *f, size_t *len)
{
	char *buf;
	size_t n;

	if ((buf = malloc(OFFLOAD_REPORT_MAX + 1)) == NULL)
		return NULL;
	rewind(f);
	n = fread(buf, 1, OFFLOAD_REPORT_MAX + 1, f);
	if (n > OFFLOAD_REPORT_MAX) {
		free(buf);
		errno = EFBIG;
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static void
take_text(struct offload *o, const char *text, size_t len, const char *from)
{
	struct offload_report *r;
	char err[256];

	if ((r = offload_report_parse(text, len, err, sizeof(err))) == NULL) {
		log_warnx("offload %s: report from %s refused: %s", o->name,
		    from, err);
		return;
	}
	offload_take_report(o, r, from, NULL);
}

/* report-file */

static void
look_at_file(struct offload *o)
{
	struct stat st;
	size_t len;
	char *text;
	FILE *f;

	if (stat(o->report_file, &st) == -1) {
		if (!o->file_missing)
			log_warnx("offload %s: report-file %s: %s", o->name,
			    o->report_file, strerror(errno));
		o->file_missing = true;
		return;
	}
	o->file_missing = false;
	if (o->file_seen && st.st_size == o->file_st.st_size &&
	    st.st_mtim.tv_sec == o->file_st.st_mtim.tv_sec &&
	    st.st_mtim.tv_nsec == o->file_st.st_mtim.tv_nsec &&
	    st.st_ino == o->file_st.st_ino)
		return;
	o->file_st = st;
	o->file_seen = true;
	if ((f = fopen(o->report_file, "r")) == NULL) {
		log_warn("offload %s: report-file %s", o->name,
		    o->report_file);
		return;
	}
	text = slurp(f, &len);
	fclose(f);
	if (text == NULL) {
		log_warn("offload %s: report-file %s", o->name,
		    o->report_file);
		return;
	}
	take_text(o, text, len, "report-file");
	free(text);
}

/* report-command */

static void
run_command(struct offload *o)
{
	char *argv[] = { "/bin/sh", "-c", o->report_command, NULL };

	if (o->cmd_pid > 0) {
		log_debug("offload %s: report-command still running",
		    o->name);
		return;
	}
	if ((o->cmd_out = tmpfile()) == NULL) {
		log_warn("offload %s: report-command: tmpfile", o->name);
		return;
	}
	if ((o->cmd_pid = spawn(argv, o->cmd_out, false)) == -1) {
		log_warn("offload %s: report-command: fork", o->name);
		fclose(o->cmd_out);
		o->cmd_out = NULL;
		o->cmd_pid = 0;
	}
}

static void
command_done(struct offload *o, int status)
{
	size_t len;
	char *text;

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		log_warnx("offload %s: report-command failed (status %d): no "
		    "report", o->name, status);
	else if ((text = slurp(o->cmd_out, &len)) == NULL)
		log_warn("offload %s: report-command output", o->name);
	else {
		take_text(o, text, len, "report-command");
		free(text);
	}
	fclose(o->cmd_out);
	o->cmd_out = NULL;
	o->cmd_pid = 0;
}

void
offload_run_tick(struct offload *o, time_t now)
{
	if (now < o->next_look)
		return;
	o->next_look = now + (time_t)o->interval;
	if (o->report_file != NULL)
		look_at_file(o);
	if (o->report_command != NULL)
		run_command(o);
}

/* The data channel */

static void
steps_clear(struct offload *o)
{
	size_t i, j;

	for (i = 0; i < o->n_steps; i++)
		for (j = 0; j < OFFLOAD_ARGV_MAX; j++) {
			free(o->steps[i].argv[j]);
			o->steps[i].argv[j] = NULL;
		}
	o->n_steps = o->cur_step = 0;
	if (o->dc_file[0] != '\0')
		unlink(o->dc_file);
	o->dc_file[0] = '\0';
	json_decref(o->dc_job_acls);
	o->dc_job_acls = NULL;
}

/* A step: dotsctl dc --url .. --ca .. --cert .. --key .. ARGS */
static int
step_add(struct offload *o, bool may_fail, const char *a1, const char *a2,
    const char *a3, const char *a4)
{
	const char *fixed[] = { o->dotsctl, "dc", "--url", o->url, "--ca",
		o->ca, "--cert", o->cert, "--key", o->key, a1, a2, a3, a4 };
	struct offload_dc_step *s;
	size_t i;

	if (o->n_steps == OFFLOAD_DC_STEPS)
		return -1;
	s = &o->steps[o->n_steps++];
	s->may_fail = may_fail;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]) &&
	    fixed[i] != NULL; i++)
		if ((s->argv[i] = strdup(fixed[i])) == NULL)
			return -1;
	return 0;
}

/* Delete every ACL named in @p acls. */
static int
steps_delete(struct offload *o, const json_t *acls, bool may_fail)
{
	json_t *acl;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(acls,
	    "ietf-dots-data-channel:acls"), "acl"), i, acl)
		if (step_add(o, may_fail, "acl", "delete",
		    json_string_value(json_object_get(acl, "name")),
		    NULL) != 0)
			return -1;
	return 0;
}

static int
write_acls(struct offload *o, const json_t *acls)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	snprintf(o->dc_file, sizeof(o->dc_file), "%s/dotscd-acl.XXXXXX",
	    tmp != NULL && strlen(tmp) < 40 ? tmp : "/tmp");
	if ((fd = mkstemp(o->dc_file)) == -1) {
		o->dc_file[0] = '\0';
		return -1;
	}
	if (json_dumpfd(acls, fd, JSON_COMPACT) != 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

static void
step_run(struct offload *o)
{
	if ((o->dc_out = tmpfile()) == NULL ||
	    (o->dc_pid = spawn(o->steps[o->cur_step].argv, o->dc_out,
	    true)) == -1) {
		log_warn("offload %s: data channel: cannot run %s", o->name,
		    o->dotsctl);
		if (o->dc_out != NULL)
			fclose(o->dc_out);
		o->dc_out = NULL;
		o->dc_pid = 0;
		steps_clear(o);
	}
}

/* Start a job towards dc_want, unless one runs or nothing differs. */
void
offload_dc_converge(struct offload *o)
{
	const json_t *want = o->dc_want;
	int ret = 0;

	if (o->dc_pid > 0 || json_equal(o->dc_want, o->dc_have) ||
	    (o->dc_want == NULL && o->dc_have == NULL))
		return;
	steps_clear(o);
	if (want != NULL) {
		ret = step_add(o, false, "register", NULL, NULL, NULL);
		if (ret == 0 && o->dc_have != NULL)
			ret = steps_delete(o, o->dc_have, true);
		if (ret == 0)
			ret = steps_delete(o, want, true);
		if (ret == 0 && write_acls(o, want) != 0) {
			log_warn("offload %s: data channel: writing the ACLs",
			    o->name);
			ret = -1;
		}
		if (ret == 0)
			ret = step_add(o, false, "acl", "add", "--file",
			    o->dc_file);
		o->dc_job_acls = json_incref((json_t *)(uintptr_t)want);
	} else
		ret = steps_delete(o, o->dc_have, false);
	if (ret != 0) {
		log_warnx("offload %s: data channel: job not started",
		    o->name);
		steps_clear(o);
		return;
	}
	step_run(o);
}

/* The first line of a step's output, for the log. */
static void
first_line(FILE *f, char *buf, size_t len)
{
	char *nl;

	buf[0] = '\0';
	rewind(f);
	if (fgets(buf, (int)len, f) != NULL && (nl = strchr(buf, '\n')))
		*nl = '\0';
}

static void
dc_step_done(struct offload *o, int status)
{
	struct offload_dc_step *s = &o->steps[o->cur_step];
	bool ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	char line[256];

	first_line(o->dc_out, line, sizeof(line));
	fclose(o->dc_out);
	o->dc_out = NULL;
	o->dc_pid = 0;
	if (!ok && !s->may_fail) {
		log_warnx("offload %s: data channel: dotsctl dc %s %s failed "
		    "(status %d): %s", o->name, s->argv[10],
		    s->argv[11] != NULL ? s->argv[11] : "", status, line);
		offload_record(o, "data-channel-failed", "data-channel-acl",
		    line);
		steps_clear(o);
		return;	/* tried again with the next report's change */
	}
	log_debug("offload %s: data channel: dotsctl dc %s %s: %s", o->name,
	    s->argv[10], s->argv[11] != NULL ? s->argv[11] : "",
	    ok ? "done" : "nothing to do");
	if (++o->cur_step < o->n_steps) {
		step_run(o);
		return;
	}
	json_decref(o->dc_have);
	o->dc_have = o->dc_job_acls != NULL ? json_incref(o->dc_job_acls) :
	    NULL;
	log_info("offload %s: data channel: %s", o->name, o->dc_have != NULL ?
	    "ACLs in place" : "ACLs deleted");
	steps_clear(o);
	offload_dc_converge(o);
}

bool
offload_run_child(struct offload *o, pid_t pid, int status)
{
	if (pid == o->cmd_pid && pid > 0) {
		command_done(o, status);
		return true;
	}
	if (pid == o->dc_pid && pid > 0) {
		dc_step_done(o, status);
		return true;
	}
	return false;
}

void
offload_run_stop(struct offload *o)
{
	if (o->cmd_pid > 0)
		kill(o->cmd_pid, SIGTERM);
	if (o->dc_pid > 0)
		kill(o->dc_pid, SIGTERM);
	if (o->cmd_out != NULL)
		fclose(o->cmd_out);
	if (o->dc_out != NULL)
		fclose(o->dc_out);
	o->cmd_out = o->dc_out = NULL;
	o->cmd_pid = o->dc_pid = 0;
	steps_clear(o);
}
