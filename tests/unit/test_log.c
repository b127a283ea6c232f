/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The daemons' log (src/common/log.c): levels, the errno suffix, the
 * neutralised control characters, and above all the rate limiter that
 * guards every message a peer can trigger.  The limiter's clock is
 * injected (log_set_clock), and stderr is redirected to a temporary file
 * around each burst so that the lines written can be counted.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"

static uint64_t fake_now;

static uint64_t
fake_clock(void)
{
	return fake_now;
}

struct capture {
	FILE	*file;
	int	 saved_fd;
};

static void
capture_start(struct capture *cap)
{
	fflush(stderr);
	cap->file = tmpfile();
	assert_non_null(cap->file);
	cap->saved_fd = dup(STDERR_FILENO);
	assert_true(cap->saved_fd >= 0);
	assert_true(dup2(fileno(cap->file), STDERR_FILENO) >= 0);
}

/* Stop capturing; @return what was written, **new**. */
static char *
capture_end(struct capture *cap)
{
	char *text;
	long len;

	fflush(stderr);
	dup2(cap->saved_fd, STDERR_FILENO);
	close(cap->saved_fd);
	len = ftell(cap->file);
	assert_true(len >= 0);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	rewind(cap->file);
	assert_int_equal(fread(text, 1, (size_t)len, cap->file), (size_t)len);
	fclose(cap->file);
	return text;
}

static unsigned
count_lines(const char *text, const char *with)
{
	unsigned n = 0;
	const char *line = text, *nl;

	while ((nl = strchr(line, '\n')) != NULL) {
		char buf[1200];
		size_t len = (size_t)(nl - line);

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		if (with == NULL || strstr(buf, with) != NULL)
			n++;
		line = nl + 1;
	}
	return n;
}

static int
setup(void **state)
{
	(void)state;
	log_init(1, LOG_DAEMON, "test_log");
	log_setlevel(LOG_LVL_DEBUG);
	log_set_clock(fake_clock);
	fake_now = 1000000;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	log_set_clock(NULL);
	log_setlevel(LOG_LVL_INFO);
	return 0;
}

static void
test_log_levels(void **state)
{
	struct capture cap;
	char *out;

	(void)state;
	log_setlevel(LOG_LVL_WARN);
	capture_start(&cap);
	log_errx("e %d", 1);
	log_warnx("w %s", "2");
	log_info("i");
	log_debug("d");
	out = capture_end(&cap);
	assert_int_equal(count_lines(out, NULL), 2);
	assert_non_null(strstr(out, " err: e 1\n"));
	assert_non_null(strstr(out, " warn: w 2\n"));
	assert_false(log_enabled(LOG_LVL_INFO));
	assert_true(log_enabled(LOG_LVL_ERR));
	free(out);
}

static void
test_log_errno_and_sanitize(void **state)
{
	struct capture cap;
	char *out;

	(void)state;
	capture_start(&cap);
	errno = ENOENT;
	log_warn("open %s", "x");
	/* logging leaves errno alone */
	assert_int_equal(errno, ENOENT);
	log_info("peer said \"%s\"", "a\nwarn: forged\x1b[2J");
	out = capture_end(&cap);
	assert_non_null(strstr(out, " warn: open x: No such file or "
	    "directory\n"));
	assert_non_null(strstr(out, " info: peer said \"a?warn: forged?[2J\""
	    "\n"));
	assert_int_equal(count_lines(out, NULL), 2);
	free(out);
}

static void
test_log_level_names(void **state)
{
	enum log_level l;

	(void)state;
	assert_int_equal(log_level_parse("debug", &l), 0);
	assert_int_equal(l, LOG_LVL_DEBUG);
	assert_int_equal(log_level_parse("err", &l), 0);
	assert_int_equal(l, LOG_LVL_ERR);
	assert_int_equal(log_level_parse("error", &l), -1);
	assert_string_equal(log_level_names[LOG_LVL_WARN], "warn");
}

/* 3 per second: the 4th to 10th are dropped, then counted once. */
static void
test_log_rl_burst(void **state)
{
	struct log_rl rl = LOG_RL_INIT(3, 1000);
	struct capture cap;
	char *out;
	int i;

	(void)state;
	capture_start(&cap);
	for (i = 0; i < 10; i++)
		log_rl_warnx(&rl, "bad request %d", i);
	fake_now += 999;
	log_rl_warnx(&rl, "bad request late");
	out = capture_end(&cap);
	assert_int_equal(count_lines(out, "bad request"), 3);
	assert_non_null(strstr(out, "bad request 2\n"));
	assert_null(strstr(out, "bad request 3\n"));
	assert_int_equal(count_lines(out, "suppressed"), 0);
	free(out);

	/* the next interval reports the 8 dropped, then lets 3 through */
	fake_now += 1;
	capture_start(&cap);
	for (i = 0; i < 5; i++)
		log_rl_warnx(&rl, "again %d", i);
	out = capture_end(&cap);
	assert_non_null(strstr(out, " warn: 8 messages suppressed\n"));
	assert_true(strstr(out, "suppressed") < strstr(out, "again 0"));
	assert_int_equal(count_lines(out, "again"), 3);
	assert_int_equal(rl.suppressed, 2);
	free(out);
}

/* Spaced-out messages all pass and nothing is reported. */
static void
test_log_rl_slow(void **state)
{
	struct log_rl rl;
	struct capture cap;
	char *out;
	int i;

	(void)state;
	log_rl_init(&rl, "hb", 1, 500);
	capture_start(&cap);
	for (i = 0; i < 20; i++) {
		log_rl_info(&rl, "slow %d", i);
		fake_now += 500;
	}
	out = capture_end(&cap);
	assert_int_equal(count_lines(out, "slow"), 20);
	assert_int_equal(count_lines(out, "suppressed"), 0);
	free(out);
}

/* log_rl_flush reports what was dropped once the interval is over, at the
 * most severe level dropped, with the limiter's name. */
static void
test_log_rl_flush(void **state)
{
	struct log_rl rl;
	struct capture cap;
	char *out;

	(void)state;
	log_rl_init(&rl, "client x", 1, 1000);
	capture_start(&cap);
	log_rl_info(&rl, "first");
	log_rl_info(&rl, "dropped 1");
	log_rl_warnx(&rl, "dropped 2");
	log_rl_info(&rl, "dropped 3");
	log_rl_flush(&rl);		/* too early: nothing */
	fake_now += 1000;
	log_rl_flush(&rl);
	log_rl_flush(&rl);		/* already reported */
	log_rl_info(&rl, "next");
	out = capture_end(&cap);
	assert_int_equal(count_lines(out, NULL), 3);
	assert_non_null(strstr(out, " warn: client x: 3 messages "
	    "suppressed\n"));
	assert_null(strstr(out, "dropped"));
	assert_non_null(strstr(out, " info: next\n"));
	free(out);
}

/* Messages below the log level do not use up the quota. */
static void
test_log_rl_filtered(void **state)
{
	struct log_rl rl = LOG_RL_INIT(2, 1000);
	struct capture cap;
	char *out;
	int i;

	(void)state;
	log_setlevel(LOG_LVL_INFO);
	capture_start(&cap);
	for (i = 0; i < 50; i++)
		log_rl_msg(&rl, LOG_LVL_DEBUG, "noise %d", i);
	log_rl_warnx(&rl, "real 1");
	log_rl_warnx(&rl, "real 2");
	log_rl_warnx(&rl, "real 3");
	out = capture_end(&cap);
	assert_int_equal(count_lines(out, "noise"), 0);
	assert_int_equal(count_lines(out, "real"), 2);
	assert_int_equal(rl.suppressed, 1);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_log_levels, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_errno_and_sanitize,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_level_names, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_rl_burst, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_rl_slow, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_rl_flush, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_log_rl_filtered, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
