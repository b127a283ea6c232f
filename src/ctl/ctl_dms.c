/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * `dotsctl dms`: a DMS's side of dotscd's mitigation offload
 * (docs/offload.md), over the control socket:
 *
 *	dotsctl [-s SOCKET] [--json] dms report [FILE|-]
 *	dotsctl [-s SOCKET] [--json] dms status
 *
 * `report` sends a DMS report (a file, or standard input) as the
 * `dms-report` command and shows what dotscd decided; `status` shows
 * `dms-status`.  The report is checked to be one JSON object that fits
 * a line of the protocol before anything is sent; its members are
 * dotscd's to check.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "ctl_dms.h"

bool
ctl_dms_argv_is(int argc, char *const argv[])
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-s") == 0) {
			i++;
			continue;
		}
		if (argv[i][0] != '-')
			return strcmp(argv[i], "dms") == 0;
	}
	return false;
}

int
ctl_dms_args_parse(int argc, char *const argv[], struct ctl_dms_req *req,
    char *err, size_t errlen)
{
	int i, pos = 0;

	memset(req, 0, sizeof(*req));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-s") == 0 && i + 1 < argc)
			req->socket = argv[++i];
		else if (strcmp(a, "--json") == 0)
			req->json = true;
		else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			req->help = true;
		else if (a[0] == '-' && a[1] != '\0') {
			snprintf(err, errlen, "dms: unknown option %s", a);
			return -1;
		} else if (pos == 0 && strcmp(a, "dms") == 0)
			pos++;
		else if (pos == 1 && (strcmp(a, "report") == 0 ||
		    strcmp(a, "status") == 0)) {
			req->status = strcmp(a, "status") == 0;
			pos++;
		} else if (pos == 2 && !req->status) {
			req->file = a;
			pos++;
		} else {
			snprintf(err, errlen, "dms: unexpected argument '%s'",
			    a);
			return -1;
		}
	}
	if (pos < 2 && !req->help) {
		snprintf(err, errlen, "dms: report [FILE|-] or status");
		return -1;
	}
	return 0;
}

/* The report, one JSON object, from FILE or standard input. */
static json_t *
read_report(const char *file, char *err, size_t errlen)
{
	json_error_t je;
	json_t *v;
	FILE *f = stdin;

	if (file != NULL && strcmp(file, "-") != 0 &&
	    (f = fopen(file, "r")) == NULL) {
		snprintf(err, errlen, "dms report: %s: %s", file,
		    strerror(errno));
		return NULL;
	}
	v = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	if (f != stdin)
		fclose(f);
	if (v == NULL) {
		snprintf(err, errlen, "dms report: %s: not JSON: %s (line %d)",
		    file != NULL ? file : "stdin", je.text, je.line);
		return NULL;
	}
	if (!json_is_object(v)) {
		json_decref(v);
		snprintf(err, errlen, "dms report: a report is a JSON object "
		    "(docs/offload.md)");
		return NULL;
	}
	return v;
}

/* Send @p req, read one line back into @p r.  @return the exit code */
static int
roundtrip(const char *path, json_t *req, struct ctl_reply *r)
{
	struct sockaddr_un sun;
	char *text, *line = NULL, err[CTL_ERR_MAX];
	size_t len, cap = 0, n = 0;
	int fd, ret = CTL_EXIT_UNREACHABLE;
	ssize_t k;

	if ((text = json_dumps(req, JSON_COMPACT)) == NULL)
		return CTL_EXIT_FAILED;
	len = strlen(text);
	if (len + 1 > CTL_LINE_MAX) {
		fprintf(stderr, "dotsctl: dms report: %zu bytes, more than a "
		    "control line (%d); use report-file or report-command "
		    "(docs/offload.md)\n", len, CTL_LINE_MAX);
		free(text);
		return CTL_EXIT_USAGE;
	}
	text[len++] = '\n';	/* over the NUL json_dumps left */
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		fprintf(stderr, "dotsctl: cannot reach dotscd at %s: %s\n",
		    path, strerror(errno));
		goto done;
	}
	for (size_t off = 0; off < len; off += (size_t)k)
		if ((k = write(fd, text + off, len - off)) <= 0) {
			fprintf(stderr, "dotsctl: writing to dotscd: %s\n",
			    strerror(errno));
			goto done;
		}
	for (;;) {
		if (n + 4096 > cap) {
			char *p = realloc(line, cap = n + 65536);

			if (p == NULL)
				goto done;
			line = p;
		}
		if ((k = read(fd, line + n, cap - n - 1)) <= 0)
			break;
		n += (size_t)k;
		if (memchr(line, '\n', n) != NULL || n > CTL_LINE_MAX)
			break;
	}
	if (line == NULL || memchr(line, '\n', n) == NULL) {
		fprintf(stderr, "dotsctl: dotscd closed without an answer\n");
		goto done;
	}
	n = (size_t)((char *)memchr(line, '\n', n) - line);
	if (ctl_reply_parse(line, n, r, err, sizeof(err)) != 0) {
		fprintf(stderr, "dotsctl: %s\n", err);
		goto done;
	}
	ret = CTL_EXIT_OK;
done:
	if (fd >= 0)
		close(fd);
	free(text);
	free(line);
	return ret;
}

static void
print_text(const struct ctl_dms_req *req, json_t *res)
{
	const char *key;
	json_t *v, *d;
	size_t i;

	json_object_foreach(res, key, v) {
		if (strcmp(key, "decisions") == 0)
			continue;
		if (json_is_string(v))
			printf("%-14s %s\n", key, json_string_value(v));
		else {
			char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

			printf("%-14s %s\n", key, t != NULL ? t : "?");
			free(t);
		}
	}
	if (!req->status)
		return;
	json_array_foreach(json_object_get(res, "decisions"), i, d)
		printf("decision       %lld %s %s: %s\n", (long long)
		    json_integer_value(json_object_get(d, "time")),
		    json_string_value(json_object_get(d, "decision")),
		    json_string_value(json_object_get(d, "branch")),
		    json_string_value(json_object_get(d, "reason")));
}

int
ctl_dms_run(const struct ctl_dms_req *req, const char *path)
{
	struct ctl_reply r;
	char err[CTL_ERR_MAX];
	json_t *msg, *rep = NULL;
	int ret;

	if (!req->status && (rep = read_report(req->file, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "dotsctl: %s\n", err);
		return CTL_EXIT_USAGE;
	}
	msg = req->status ? json_pack("{ss}", "cmd", "dms-status") :
	    json_pack("{ss so}", "cmd", "dms-report", "report", rep);
	if (msg == NULL)
		return CTL_EXIT_FAILED;
	memset(&r, 0, sizeof(r));
	ret = roundtrip(path, msg, &r);
	json_decref(msg);
	if (ret != CTL_EXIT_OK)
		return ret;
	if (!r.ok) {
		ctl_print_error(stderr, &r);
		ret = strcmp(r.code, "invalid") == 0 ? CTL_EXIT_USAGE :
		    CTL_EXIT_FAILED;
	} else if (req->json) {
		json_dumpf(r.result, stdout, JSON_INDENT(2) |
		    JSON_PRESERVE_ORDER);
		fputc('\n', stdout);
	} else
		print_text(req, r.result);
	ctl_reply_clear(&r);
	return ret;
}

void
ctl_dms_help(FILE *f)
{
	fprintf(f,
	    "usage: dotsctl [-s SOCKET] [--json] dms report [FILE|-]\n"
	    "       dotsctl [-s SOCKET] [--json] dms status\n"
	    "\n"
	    "A DMS's side of dotscd's mitigation offload (docs/offload.md):\n"
	    "  report [FILE|-]  send a DMS report (JSON; standard input\n"
	    "                   without FILE or with -) and show the decision\n"
	    "  status           the offload's state, request and decisions\n");
}
