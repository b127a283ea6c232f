/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Error texts, names, the CoAP code a server answers for each error, and
 * the diagnostic record filled by the decoders and validators.
 */
#include <stdio.h>
#include <string.h>

#include <dots/error.h>

struct err_desc {
	int		 err;
	const char	*name;
	const char	*text;
	int		 coap;		/* e.g. 400 for 4.00 */
};

static const struct err_desc err_table[] = {
	{ DOTS_OK, "DOTS_OK", "success", 205 },
	{ DOTS_ENOMEM, "DOTS_ENOMEM", "out of memory", 503 },
	{ DOTS_EINVAL, "DOTS_EINVAL", "invalid argument", 500 },
	{ DOTS_ENOSPC, "DOTS_ENOSPC", "buffer too small", 500 },
	{ DOTS_EMALFORMED, "DOTS_EMALFORMED", "malformed message", 400 },
	{ DOTS_EUNKNOWN_KEY, "DOTS_EUNKNOWN_KEY", "unknown attribute", 400 },
	{ DOTS_ETYPE, "DOTS_ETYPE", "wrong type", 400 },
	{ DOTS_ERANGE, "DOTS_ERANGE", "value out of range", 400 },
	{ DOTS_EVALUE, "DOTS_EVALUE", "invalid value", 400 },
	{ DOTS_EDUPLICATE, "DOTS_EDUPLICATE", "duplicate entry", 400 },
	{ DOTS_EEMPTY, "DOTS_EEMPTY", "empty value", 400 },
	{ DOTS_ETOOBIG, "DOTS_ETOOBIG", "too many entries or too long", 413 },
	{ DOTS_EMISSING, "DOTS_EMISSING", "mandatory attribute missing", 400 },
	{ DOTS_EFORBIDDEN, "DOTS_EFORBIDDEN", "attribute not allowed here",
	  400 },
	{ DOTS_EMULTI_SCOPE, "DOTS_EMULTI_SCOPE", "more than one scope in "
	  "a request", 400 },
	{ DOTS_EKIND, "DOTS_EKIND", "wrong message type for the resource",
	  400 },
	{ DOTS_EURI, "DOTS_EURI", "invalid Uri-Path", 400 },
};

static const struct err_desc *
err_find(int err)
{
	size_t i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if (err_table[i].err == err)
			return &err_table[i];
	return NULL;
}

const char *
dots_strerror(int err)
{
	const struct err_desc *d = err_find(err);

	return d ? d->text : "unknown error";
}

const char *
dots_err_name(int err)
{
	const struct err_desc *d = err_find(err);

	return d ? d->name : "DOTS_E?";
}

int
dots_err_coap_code(int err)
{
	const struct err_desc *d = err_find(err);

	return d ? d->coap : 500;
}

void
dots_diag_clear(struct dots_diag *d)
{
	d->err = DOTS_OK;
	d->error.path[0] = '\0';
	d->error.msg[0] = '\0';
	d->nwarn = 0;
	d->nwarn_total = 0;
}

char *
dots_diag_format(const struct dots_diag *d, char *buf, size_t len)
{
	if (len == 0)
		return buf;
	if (d->err == DOTS_OK)
		snprintf(buf, len, "ok");
	else if (d->error.path[0] != '\0')
		snprintf(buf, len, "%s: %s", d->error.path, d->error.msg);
	else
		snprintf(buf, len, "%s", d->error.msg[0] ? d->error.msg :
		    dots_strerror(d->err));
	return buf;
}
