/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * Options of dotsctl's command lines (ctl_args.c, ctl_dc_args.c,
 * ctl_srv_args.c), looked up the same way: "-x", "--name" or
 * "--name=value".
 */
#include <string.h>

#include "ctl.h"

const struct ctl_opt *
ctl_opt_lookup(const struct ctl_opt *v, size_t n, const char *arg,
    const char **value)
{
	const char *eq;
	size_t i, len;

	*value = NULL;
	if (arg[1] != '-') {
		for (i = 0; i < n; i++)
			if (v[i].short_name != 0 &&
			    arg[1] == v[i].short_name && arg[2] == '\0')
				return &v[i];
		return NULL;
	}
	arg += 2;
	eq = strchr(arg, '=');
	len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
	for (i = 0; i < n; i++)
		if (strlen(v[i].name) == len &&
		    strncmp(arg, v[i].name, len) == 0) {
			if (eq != NULL)
				*value = eq + 1;
			return &v[i];
		}
	return NULL;
}

bool
ctl_argv_word_is(const struct ctl_opt *v, size_t n, int argc,
    char *const argv[], const char *word)
{
	const struct ctl_opt *o;
	const char *val;
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc && strcmp(argv[i + 1], word) == 0;
		if (argv[i][0] != '-' || argv[i][1] == '\0')
			return strcmp(argv[i], word) == 0;
		/* skip the value of an option that takes one */
		if ((o = ctl_opt_lookup(v, n, argv[i], &val)) != NULL &&
		    o->arg && val == NULL)
			i++;
	}
	return false;
}
