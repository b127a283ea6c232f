/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Fuzz target: conf_parse_buf(), the dotsd configuration parser
 * (src/common/conf.c).  A configuration is trusted input, but it is read
 * again on every SIGHUP by a running server, so a crash or a leak there
 * would take the server down.
 *
 * Invariants checked (the target aborts otherwise):
 *  - the result is DOTS_OK, DOTS_EVALUE or DOTS_ENOMEM (DOTS_EINVAL would
 *    mean a schema default that does not parse);
 *  - on failure the message is NUL-terminated, names the file and says
 *    something;
 *  - on success there is a mitigator, every client has one, and the
 *    normalized output (secrets included) parses again, prints the same
 *    and passes the reload check against the original.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/error.h>

#include "conf.h"
#include "fuzz.h"

static void	fail(const char *fmt, ...)
		    __attribute__((format(printf, 1, 2), noreturn));

static void
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_conf: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* conf_print_flags() output, **new**. */
static char *
print_text(const struct conf *c, unsigned flags)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		abort();
	conf_print_flags(f, c, flags);
	if (fclose(f) != 0)
		abort();
	return text;
}

static void
check_ok(const struct conf *c)
{
	struct conf *again = NULL;
	char err[CONF_ERR_MAX], *a, *b;
	size_t i;
	int ret;

	if (c->n_mitigator == 0)
		fail("accepted without a mitigator");
	for (i = 0; i < c->n_client; i++)
		if (c->client[i].mitigator == NULL)
			fail("client %zu without a mitigator", i);
	free(print_text(c, 0));
	a = print_text(c, CONF_PRINT_SECRETS);
	ret = conf_parse_buf(a, strlen(a), "printed", &again, err,
	    sizeof(err));
	if (ret != DOTS_OK)
		fail("normalized output refused: %s\n%s", err, a);
	b = print_text(again, CONF_PRINT_SECRETS);
	if (strcmp(a, b) != 0)
		fail("normalized output is not a fixed point:\n%s\n---\n%s",
		    a, b);
	if (conf_reload_check(c, again, err, sizeof(err)) != DOTS_OK)
		fail("reload check against itself: %s", err);
	free(a);
	free(b);
	conf_free(again);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf *c = NULL;
	char err[CONF_ERR_MAX];
	int ret;

	memset(err, 'x', sizeof(err));
	ret = conf_parse_buf((const char *)data, size, "fuzz", &c, err,
	    sizeof(err));
	if (ret == DOTS_OK) {
		if (c == NULL)
			fail("DOTS_OK without a configuration");
		check_ok(c);
		conf_free(c);
		return 0;
	}
	if (c != NULL)
		fail("error %d with a configuration", ret);
	if (ret != DOTS_EVALUE && ret != DOTS_ENOMEM)
		fail("unexpected result %d (%s): %.*s", ret,
		    dots_err_name(ret), (int)sizeof(err), err);
	if (memchr(err, '\0', sizeof(err)) == NULL)
		fail("error message not NUL-terminated");
	if (strncmp(err, "fuzz:", 5) != 0 || strlen(err) < 8)
		fail("error message '%s' does not name the file", err);
	return 0;
}
