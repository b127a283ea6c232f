/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The pure part of the "dots" mitigator (be_dots.c): the lines it writes
 * to dotscd's control socket and how it reads dotscd's answers and
 * events (docs/control-protocol.md), and what an upstream mitigation's
 * state and status mean for the server (enum be_state).  No I/O and no
 * daemon state, so that it is unit-tested and fuzzed on its own.
 */
#ifndef DOTS_UP_PROTO_H
#define DOTS_UP_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dots/model.h>

#include "backend.h"

#define UP_ORIGIN_PREFIX	"gateway:"
#define UP_TEXT_MAX		256	/* codes, diagnostics, names */

/* dotscd's states of a mitigation (docs/control-protocol.md). */
enum up_state {
	UP_ST_NONE = 0,		/* unknown or absent */
	UP_ST_PENDING,
	UP_ST_ACTIVE,
	UP_ST_WITHDRAWING,
	UP_ST_ENDED,
	UP_ST_FAILED
};

/* One mitigation as dotscd tells of it: a `list` entry, a `mitigate`
 * answer or a status event.  Strings are copies. */
struct up_mit_info {
	bool		 has_mid;
	uint32_t	 mid;
	enum up_state	 state;
	uint8_t		 status;	/* enum dots_status, 0: none */
	bool		 has_id;	/* origin is "gateway:<id>" */
	uint64_t	 id;
	bool		 has_lifetime;
	int64_t		 lifetime;
	bool		 has_stats;
	uint64_t	 bytes_dropped, pkts_dropped;
	uint64_t	 bps_dropped, pps_dropped;
	char		 server[UP_TEXT_MAX];
	char		 err_code[16];		/* of the DOTS server: "5.08" */
	char		 err_diag[UP_TEXT_MAX];
	char		*scope;		/* list: compact JSON, or NULL */
};

enum up_msg_kind {
	UP_MSG_ANSWER = 1,	/* to one of our requests */
	UP_MSG_STATUS,		/* event "status" */
	UP_MSG_SESSION,		/* event "session" */
	UP_MSG_OTHER		/* another event: ignored */
};

/* One line from dotscd.  up_msg_clear() releases it. */
struct up_msg {
	enum up_msg_kind	 kind;
	bool			 has_seq;	/* ANSWER: our request's id */
	uint64_t		 seq;
	bool			 ok;
	/* ANSWER with ok false: dotscd's error */
	char			 code[32];	/* "invalid", "not-found", ... */
	char			 field[64];
	char			 message[UP_TEXT_MAX];
	/* ANSWER of mitigate/withdraw, STATUS: the mitigation */
	bool			 has_mit;
	struct up_mit_info	 mit;
	/* ANSWER of list: its mitigations */
	struct up_mit_info	*list;
	size_t			 nlist;
	bool			 is_list;
	/* SESSION */
	char			 server[UP_TEXT_MAX];
	bool			 up;
	char			 reason[UP_TEXT_MAX];
};

/**
 * Parse one line (without its newline) of dotscd's control socket.
 * @param msg filled; release with up_msg_clear() whatever the result
 * @return 0, or -1 if it is not a line dotscd writes
 */
int	up_msg_parse(const char *line, size_t len, struct up_msg *msg);
void	up_msg_clear(struct up_msg *msg);

/** "gateway:<id>" to @p id.  @return 0, or -1 if it is not one. */
int	up_origin_id(const char *origin, uint64_t *id);

/**
 * The scope a relaying mitigator sends upstream, as the JSON members of
 * an RFC 9132 scope without mid: the targets, ports, protocols and Call
 * Home source attributes of @p s, and @p lifetime.  Not alias-name (the
 * server expanded them), acl-list (the client's data channel is ours,
 * not the upstream's), trigger-mitigation or attack-status.
 * @return **new** compact JSON (free()), or NULL (ENOMEM, EINVAL)
 */
char	*up_scope_json(const struct dots_scope *s, int64_t lifetime);

/* The request lines (each **new**, with its "\n"; NULL on ENOMEM). */
char	*up_req_watch(uint64_t seq);
char	*up_req_list(uint64_t seq, const char *server);
/**
 * `mitigate`: @p scope_json (up_scope_json), with @p mid if @p has_mid
 * (an update of that mitigation), @p cdid (NULL: none) and @p hop_limit
 * (0: none).
 */
char	*up_req_mitigate(uint64_t seq, const char *server, uint64_t id,
	    const char *scope_json, bool has_mid, uint32_t mid,
	    const char *cdid, uint8_t hop_limit);
char	*up_req_withdraw(uint64_t seq, const char *server, uint32_t mid);
/** `efficacy` of @p mid: @p attack_status an enum dots_attack_status. */
char	*up_req_efficacy(uint64_t seq, const char *server, uint32_t mid,
	    uint8_t attack_status);

/**
 * What the upstream's view of a mitigation means here: its be_state and
 * the reason the server shows (into @p r, whose id the caller sets).
 * @p withdrawing: the server asked for its end.
 * @return false if it calls for no report (still being withdrawn)
 */
bool	up_report_of(const struct up_mit_info *mi, const char *server,
	    bool withdrawing, struct be_report *r);

#endif /* DOTS_UP_PROTO_H */
