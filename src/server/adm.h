/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The administrator's door into dotsd: its control socket, speaking the
 * control protocol of dotscd (docs/control-protocol.md, "dotsd's control
 * socket"): one JSON object per line both ways, answers in the order of
 * the requests.
 *
 *	adm_parse.c	a request line -> struct adm_req (pure, fuzzed)
 *	adm_cmd.c	the commands, run against the engine, the clients
 *			and the mitigators
 *	adm_sock.c	the socket, its connections and their buffers
 *
 * Everything runs on dotsd's loop: server.c polls the descriptors of
 * adm_pollfds() with libcoap's and the data channel's, calls
 * adm_dispatch() inside the turn's store transaction, and adm_flush()
 * once the turn is committed, so that an answer never tells of a change
 * the disk does not have yet.
 */
#ifndef DOTS_ADM_H
#define DOTS_ADM_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define ADM_LINE_MAX	65536	/* a request line, as dotscd's */
#define ADM_PAGE	1000	/* mitigations in one answer */
#define ADM_CONN_MAX	16	/* connections served at once */
#define ADM_POLLFDS	(1 + ADM_CONN_MAX)
#define ADM_WHY_MAX	150	/* reject's reason (be_report.reason) */

enum adm_cmd {
	ADM_CMD_NONE = 0,
	ADM_CMD_MITIGATIONS,
	ADM_CMD_APPROVALS,
	ADM_CMD_APPROVE,
	ADM_CMD_REJECT,
	ADM_CMD_CLIENTS
};

/* One request.  Strings are borrowed from root. */
struct adm_req {
	json_t		*root;		/* owned */
	json_t		*id;		/* borrowed; NULL if absent */
	enum adm_cmd	 cmd;
	const char	*client;	/* mitigations: only this client's */
	uint64_t	 after;		/* mitigations: ids above this one */
	uint64_t	 mitigation;	/* approve, reject */
	const char	*why;		/* reject */
};

struct adm_err {
	const char	*code;		/* "bad-json", "invalid", ... */
	char		 field[64];	/* the argument at fault, or "" */
	char		 msg[256];
};

/* adm_parse.c */

/**
 * Parse one request line (without its newline).  Nothing is looked up:
 * this checks the JSON, the command and its arguments only.
 * @return 0 with @p r filled (adm_req_clear() it), or -1 with @p e
 *         filled; @p r->id is then set if the line had a usable id
 *         (@p r still needs adm_req_clear())
 */
int	 adm_parse(const char *line, size_t len, struct adm_req *r,
	    struct adm_err *e);
void	 adm_req_clear(struct adm_req *r);
/** The command's name in the protocol ("mitigations", ...). */
const char *adm_cmd_name(enum adm_cmd cmd);
/** Fill @p e; returns -1 for `return adm_fail(...)`. */
int	 adm_fail(struct adm_err *e, const char *code, const char *field,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/**
 * An answer line's object: {"id", "ok": true, "result"} (takes
 * ownership of @p result) or {"id", "ok": false, "error"} from @p e.
 * @return **new** reference, or NULL on ENOMEM
 */
json_t	*adm_answer_ok(json_t *id, json_t *result);
json_t	*adm_answer_err(json_t *id, const struct adm_err *e);

/* adm_cmd.c */

struct dotsd;
struct backend;

/**
 * Run @p r against dotsd @p d and its mitigators @p be.
 * @return **new** answer object, or NULL on ENOMEM
 */
json_t	*adm_run(struct dotsd *d, struct backend *const *be, size_t nbe,
	    const struct adm_req *r);

/* adm_sock.c */

struct adm;

/**
 * Listen on @p path (made mode 0660; its directory made if missing; a
 * stale socket file replaced, a live one left alone).
 * @return **new** door (adm_close), or NULL with a sentence in @p err
 */
struct adm *adm_open(struct dotsd *d, const char *path,
	    struct backend *const *be, size_t nbe, char *err, size_t errlen);
/** Close every connection and the socket, and remove its file. */
void	 adm_close(struct adm *a);
/**
 * The descriptors to wait on (at most ADM_POLLFDS), into @p pfd.
 * @return how many
 */
int	 adm_pollfds(struct adm *a, struct pollfd *pfd, int max);
/** Whether requests wait in a buffer: the loop must not sleep. */
bool	 adm_pending(const struct adm *a);
/** After the wait: accept, read, and run what came (in the turn). */
void	 adm_dispatch(struct adm *a, const struct pollfd *pfd, int n);
/** After the turn's commit: send the answers, close finished ones. */
void	 adm_flush(struct adm *a);

#endif /* DOTS_ADM_H */
