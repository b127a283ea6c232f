/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The insides of dotscd's offload, shared by offload.c (decisions, the
 * signal channel, the control commands) and offload_run.c (what runs
 * beside the daemon: the report file and command, dotsctl for the data
 * channel).
 */
#ifndef DOTS_CLIENTD_OFFLOAD_INT_H
#define DOTS_CLIENTD_OFFLOAD_INT_H

#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include "offload.h"
#include "offload_plan.h"

#define OFFLOAD_HISTORY		16	/* decisions kept for dms-status */
#define OFFLOAD_REPORT_MAX	(4 * 1024 * 1024)
#define OFFLOAD_DC_STEPS	8
#define OFFLOAD_ARGV_MAX	16

struct offload_decision {
	time_t			 at;
	char			 step[16];
	char			 branch[32];
	char			 reason[512];
};

/* One dotsctl run of a data-channel job. */
struct offload_dc_step {
	char			*argv[OFFLOAD_ARGV_MAX];
	bool			 may_fail;	/* a delete of what may not
						 * exist */
};

struct offload {
	struct dotscd		*d;
	char			*name;
	char			*origin;	/* "offload:NAME" */
	char			*server;	/* NULL: the preferred one */
	char			*url, *dotsctl, *ca, *cert, *key;
	char			*report_file, *report_command;
	unsigned		 interval;
	enum cconf_link		 link;
	unsigned		 start_pct, stop_pct;
	char			*acl_name, *acl_refl, *acl_flood;
	struct offload_policy	 pol;
	struct offload_hyst	 hyst;

	/* the last report and decision */
	time_t			 last_report;
	uint32_t		 util;
	unsigned long		 n_reports;
	struct offload_plan	*plan;		/* last made, or NULL */
	struct offload_decision	 hist[OFFLOAD_HISTORY];
	size_t			 n_hist;	/* total; ring of the last */

	/* the signal channel: what was sent */
	bool			 has_mid;
	uint32_t		 mid;
	char			 mid_server[64];
	json_t			*scope_sent;
	time_t			 sent_at;

	/* the data channel: ACLs wanted, in force, and the job between */
	json_t			*dc_want;	/* acls body, or NULL */
	json_t			*dc_have;
	json_t			*dc_job_acls;	/* what the job makes */
	struct offload_dc_step	 steps[OFFLOAD_DC_STEPS];
	size_t			 n_steps, cur_step;
	pid_t			 dc_pid;
	FILE			*dc_out;
	char			 dc_file[64];	/* the ACL body, or "" */

	/* report sources */
	time_t			 next_look;
	struct stat		 file_st;	/* as last read */
	bool			 file_seen, file_missing;
	pid_t			 cmd_pid;
	FILE			*cmd_out;
};

/* offload.c */
void	offload_take_report(struct offload *o, struct offload_report *r,
	    const char *from, json_t **result);
void	offload_record(struct offload *o, const char *step,
	    const char *branch, const char *reason);

/* offload_run.c */
void	offload_run_tick(struct offload *o, time_t now);
void	offload_dc_converge(struct offload *o);
void	offload_run_stop(struct offload *o);
bool	offload_run_child(struct offload *o, pid_t pid, int status);

#endif /* DOTS_CLIENTD_OFFLOAD_INT_H */
