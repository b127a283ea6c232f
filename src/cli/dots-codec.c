/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dots-codec: convert signal-channel bodies between RFC 7951 JSON and
 * application/dots+cbor, and check them against the rules for where they
 * appear.  A thin command line over libdots, for operators debugging a
 * peer and for scripts.
 *
 * Exit status: 0 success, 1 the input was refused, 2 usage or I/O error.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dots/cbor.h>
#include <dots/json.h>
#include <dots/validate.h>

#define EXIT_REFUSED	1
#define EXIT_USAGE	2
#define INPUT_MAX	(4 * 1024 * 1024)

static const struct {
	const char		*name;
	enum dots_msg_role	 role;
} roles[] = {
	{ "request", DOTS_ROLE_MITIGATION_REQUEST },
	{ "efficacy", DOTS_ROLE_EFFICACY_UPDATE },
	{ "call-home-request", DOTS_ROLE_CALL_HOME_REQUEST },
	{ "created", DOTS_ROLE_MITIGATION_CREATED },
	{ "status", DOTS_ROLE_MITIGATION_STATUS },
	{ "conflict", DOTS_ROLE_MITIGATION_CONFLICT },
	{ "filter-failure", DOTS_ROLE_FILTER_FAILURE },
	{ "config-request", DOTS_ROLE_CONFIG_REQUEST },
	{ "config-response", DOTS_ROLE_CONFIG_RESPONSE },
	{ "heartbeat", DOTS_ROLE_HEARTBEAT },
	{ "redirect", DOTS_ROLE_REDIRECT },
	{ "call-home-redirect", DOTS_ROLE_CALL_HOME_REDIRECT },
};

struct opts {
	unsigned	json_in;	/* DOTS_JSON_* input flags */
	unsigned	json_out;
	int		binary;		/* write/read raw CBOR, not hex */
	int		role;		/* 0: none */
};

static _Noreturn void
usage(void)
{
	size_t i;

	fprintf(stderr,
	    "usage: dots-codec [options] json2cbor FILE\n"
	    "       dots-codec [options] cbor2json FILE\n"
	    "       dots-codec [options] check FILE\n"
	    "       dots-codec [options] roundtrip FILE\n"
	    "FILE may be '-' for standard input.  CBOR is read as hex text\n"
	    "(whitespace ignored) unless --binary is given.\n"
	    "options:\n"
	    "  --binary       CBOR as raw bytes instead of hex\n"
	    "  --lenient      accept the draft-era forms of DOTS JSON, with "
	    "warnings\n"
	    "  --pretty       indent JSON output\n"
	    "  --role ROLE    also check the rules for where the body "
	    "appears:\n                ");
	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		fprintf(stderr, "%s%s", roles[i].name,
		    i + 1 < sizeof(roles) / sizeof(roles[0]) ? ", " : "\n");
	exit(EXIT_USAGE);
}

static char *
read_input(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 4096, n = 0, r;
	char *buf, *bigger;

	if (f == NULL) {
		fprintf(stderr, "dots-codec: %s: %s\n", path, strerror(errno));
		exit(EXIT_USAGE);
	}
	if ((buf = malloc(cap + 1)) == NULL)
		goto nomem;
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			if (cap >= INPUT_MAX) {
				fprintf(stderr, "dots-codec: %s: larger than "
				    "%d bytes\n", path, INPUT_MAX);
				exit(EXIT_USAGE);
			}
			cap *= 2;
			if ((bigger = realloc(buf, cap + 1)) == NULL)
				goto nomem;
			buf = bigger;
		}
	}
	if (f != stdin)
		fclose(f);
	buf[n] = '\0';
	*len = n;
	return buf;
nomem:
	fprintf(stderr, "dots-codec: out of memory\n");
	exit(EXIT_USAGE);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Hex text -> bytes, in place.  @return 0, or -1 if not hex. */
static int
unhex(char *buf, size_t *len)
{
	size_t i, o = 0;
	int hi = -1, v;

	for (i = 0; i < *len; i++) {
		if (isspace((unsigned char)buf[i]))
			continue;
		if ((v = hexval((unsigned char)buf[i])) < 0)
			return -1;
		if (hi < 0)
			hi = v;
		else {
			buf[o++] = (char)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0)
		return -1;
	*len = o;
	return 0;
}

static void
print_diag(const char *what, const struct dots_diag *d)
{
	char line[DOTS_DIAG_PATH_MAX + DOTS_DIAG_MSG_MAX + 4];
	unsigned i;

	for (i = 0; i < d->nwarn; i++)
		fprintf(stderr, "warning: %s%s%s\n", d->warn[i].path,
		    d->warn[i].path[0] ? ": " : "", d->warn[i].msg);
	if (d->nwarn_total > d->nwarn)
		fprintf(stderr, "warning: %u more warnings\n",
		    d->nwarn_total - d->nwarn);
	if (d->err != DOTS_OK)
		fprintf(stderr, "%s: %s\n", what,
		    dots_diag_format(d, line, sizeof(line)));
}

static struct dots_signal *
decode(const struct opts *o, char *buf, size_t len, int cbor)
{
	struct dots_signal *m = NULL;
	struct dots_diag diag;
	int ret;

	if (cbor) {
		if (!o->binary && unhex(buf, &len) != 0) {
			fprintf(stderr, "dots-codec: input is not hex (use "
			    "--binary for raw CBOR)\n");
			exit(EXIT_USAGE);
		}
		ret = dots_cbor_decode_signal((const uint8_t *)buf, len, &m,
		    &diag);
	} else
		ret = dots_json_decode_signal(buf, len, o->json_in, &m, &diag);
	print_diag("refused", &diag);
	if (ret != DOTS_OK)
		exit(EXIT_REFUSED);
	if (o->role != 0) {
		ret = dots_validate_signal(m, (enum dots_msg_role)o->role,
		    &diag);
		print_diag("invalid", &diag);
		if (ret != DOTS_OK) {
			dots_signal_free(m);
			exit(EXIT_REFUSED);
		}
	}
	return m;
}

static int
write_cbor(const struct opts *o, const struct dots_signal *m)
{
	uint8_t buf[DOTS_CBOR_MAX_BODY];
	size_t len, i;
	int ret;

	ret = dots_cbor_encode_signal(m, buf, sizeof(buf), &len);
	if (ret != DOTS_OK) {
		fprintf(stderr, "dots-codec: cannot encode: %s\n",
		    dots_strerror(ret));
		return EXIT_REFUSED;
	}
	if (o->binary)
		fwrite(buf, 1, len, stdout);
	else {
		for (i = 0; i < len; i++)
			printf("%02x", buf[i]);
		printf("\n");
	}
	return 0;
}

static int
write_json(const struct opts *o, const struct dots_signal *m)
{
	char *text;
	int err;

	text = dots_json_encode_signal(m, o->json_out, &err);
	if (text == NULL) {
		fprintf(stderr, "dots-codec: cannot encode: %s\n",
		    dots_strerror(err));
		return EXIT_REFUSED;
	}
	printf("%s\n", text);
	free(text);
	return 0;
}

/* JSON -> model -> CBOR -> model -> JSON, comparing the models. */
static int
roundtrip(const struct opts *o, const struct dots_signal *m)
{
	uint8_t buf[DOTS_CBOR_MAX_BODY];
	struct dots_signal *back = NULL;
	struct dots_diag diag;
	size_t len;
	int ret;

	ret = dots_cbor_encode_signal(m, buf, sizeof(buf), &len);
	if (ret == DOTS_OK)
		ret = dots_cbor_decode_signal(buf, len, &back, &diag);
	if (ret != DOTS_OK || !dots_signal_equal(m, back)) {
		fprintf(stderr, "roundtrip: CBOR does not give the same "
		    "message back\n");
		dots_signal_free(back);
		return EXIT_REFUSED;
	}
	dots_signal_free(back);
	printf("%zu bytes of CBOR\n", len);
	return write_json(o, m);
}

static int
find_role(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (strcmp(roles[i].name, name) == 0)
			return (int)roles[i].role;
	fprintf(stderr, "dots-codec: unknown role '%s'\n", name);
	usage();
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct dots_signal *m;
	const char *cmd;
	char *buf;
	size_t len;
	int i, ret;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--binary") == 0)
			o.binary = 1;
		else if (strcmp(argv[i], "--lenient") == 0)
			o.json_in |= DOTS_JSON_LENIENT;
		else if (strcmp(argv[i], "--pretty") == 0)
			o.json_out |= DOTS_JSON_PRETTY;
		else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			o.role = find_role(argv[++i]);
		else
			usage();
	}
	if (argc - i != 2)
		usage();
	cmd = argv[i];
	buf = read_input(argv[i + 1], &len);
	if (strcmp(cmd, "json2cbor") == 0) {
		m = decode(&o, buf, len, 0);
		ret = write_cbor(&o, m);
	} else if (strcmp(cmd, "cbor2json") == 0) {
		m = decode(&o, buf, len, 1);
		ret = write_json(&o, m);
	} else if (strcmp(cmd, "check") == 0) {
		/* JSON if it starts like JSON, otherwise CBOR */
		size_t k = 0;

		while (k < len && isspace((unsigned char)buf[k]))
			k++;
		m = decode(&o, buf, len, !(k < len && buf[k] == '{'));
		printf("ok: %s\n", dots_signal_kind_name(m->kind));
		ret = 0;
	} else if (strcmp(cmd, "roundtrip") == 0) {
		m = decode(&o, buf, len, 0);
		ret = roundtrip(&o, m);
	} else
		usage();
	dots_signal_free(m);
	free(buf);
	return ret;
}
