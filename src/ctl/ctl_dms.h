/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsctl dms: DMS reports to dotscd's mitigation offload, and its
 * status (ctl_dms.c, docs/offload.md).
 */
#ifndef DOTS_CTL_DMS_H
#define DOTS_CTL_DMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One `dotsctl dms` command line.  Strings are borrowed from argv. */
struct ctl_dms_req {
	bool		 help;
	bool		 json;
	bool		 status;	/* else report */
	const char	*socket;	/* -s; NULL: env or default */
	const char	*file;		/* report: NULL or "-": stdin */
};

/** Whether @p argv is a `dotsctl dms` command line. */
bool	ctl_dms_argv_is(int argc, char *const argv[]);
/**
 * Parse a `dotsctl dms` command line.  Pure: no I/O.
 * @return 0, or -1 with a sentence in @p err
 */
int	ctl_dms_args_parse(int argc, char *const argv[],
	    struct ctl_dms_req *req, char *err, size_t errlen);
/** Run it against dotscd at @p path; @return the exit code. */
int	ctl_dms_run(const struct ctl_dms_req *req, const char *path);
void	ctl_dms_help(FILE *f);

#endif /* DOTS_CTL_DMS_H */
