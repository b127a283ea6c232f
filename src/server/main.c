/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * dotsd: the DOTS server daemon.  Reads the configuration, applies the
 * command-line overrides, opens the store, creates the mitigators and the
 * configured clients, restores the stored mitigations and runs the loop
 * (server.c).  SIGHUP reloads the client authorizations without touching
 * sessions; SIGTERM stops cleanly.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "conf.h"
#include "dotsd.h"
#include "log.h"
#include "server.h"

#define DEFAULT_CONF	"/etc/opendots/dotsd.conf"

struct daemon {
	struct dotsd		 d;
	struct dotsd_settings	 set;
	struct conf		*conf;
	const char		*conf_path;
	/* command-line overrides, replayed on reload */
	const char		*override_key[16];
	const char		*override_val[16];
	size_t			 noverride;
};

static _Noreturn void
usage(void)
{
	fprintf(stderr,
	    "usage: dotsd [-dnv] [-f file] [--listen ADDR [PORT]] "
	    "[--database PATH]\n"
	    "             [--log-level err|warn|info|debug] [--ca-file F]\n"
	    "             [--cert-file F] [--key-file F]\n"
	    "  -f file           configuration (default " DEFAULT_CONF ")\n"
	    "  -d                stay in the foreground, log to stderr\n"
	    "  -n, --check-config  check the configuration and exit\n"
	    "  -v                with -n, print it normalized\n");
	exit(2);
}

static void
range(struct dots_cfg_value *v, const struct conf_range *r)
{
	v->present = DOTS_CFG_CURRENT | DOTS_CFG_MIN | DOTS_CFG_MAX;
	v->current_value = r->cur;
	v->min_value = r->min;
	v->max_value = r->max;
}

static void
session_limits(struct dots_config_set *s, const struct conf_session *c)
{
	memset(s, 0, sizeof(*s));
	range(&s->heartbeat_interval, &c->heartbeat_interval);
	range(&s->missing_hb_allowed, &c->missing_hb_allowed);
	range(&s->max_retransmit, &c->max_retransmit);
	range(&s->ack_timeout, &c->ack_timeout);
	range(&s->ack_random_factor, &c->ack_random_factor);
	range(&s->probing_rate, &c->probing_rate);
}

static struct backend *
backend_named(struct daemon *dm, const char *name)
{
	size_t i;

	for (i = 0; i < dm->set.nbackends; i++)
		if (strcmp(dm->set.backends[i]->name, name) == 0)
			return dm->set.backends[i];
	return NULL;
}

static int
make_backends(struct daemon *dm, char *err, size_t errlen)
{
	const struct conf *c = dm->conf;
	size_t i, k;

	dm->set.backends = calloc(c->n_mitigator, sizeof(struct backend *));
	if (dm->set.backends == NULL)
		return -1;
	for (i = 0; i < c->n_mitigator; i++) {
		const struct conf_mitigator *cm = &c->mitigator[i];
		struct be_setting *bs = calloc(cm->n_setting + 1, sizeof(*bs));
		struct backend *be;

		if (bs == NULL)
			return -1;
		for (k = 0; k < cm->n_setting; k++) {
			bs[k].key = cm->setting[k].key;
			bs[k].value = cm->setting[k].value;
		}
		be = be_new(conf_mitigator_types[cm->type], cm->name, bs,
		    cm->n_setting, dotsd_backend_report, NULL, err, errlen);
		free(bs);
		if (be == NULL)
			return -1;
		dm->set.backends[dm->set.nbackends++] = be;
	}
	return 0;
}

/* For check_mitigators(): 0 a mitigator, 1 a policy, -1 none. */
static int
conf_kind_of(const void *arg, const char *name)
{
	const struct conf *c = arg;
	size_t i;

	for (i = 0; i < c->n_mitigator; i++)
		if (strcmp(c->mitigator[i].name, name) == 0)
			return c->mitigator[i].type == CONF_MIT_POLICY;
	return -1;
}

/*
 * What -n can check of the mitigators without making them (which would
 * open their files): the names a policy uses.
 */
static int
check_mitigators(const struct conf *c, char *err, size_t errlen)
{
	const struct conf_mitigator *cm;
	struct be_setting *bs;
	char why[256];
	size_t i, k;
	int ret;

	for (i = 0; i < c->n_mitigator; i++) {
		cm = &c->mitigator[i];
		if ((bs = calloc(cm->n_setting + 1, sizeof(*bs))) == NULL) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		for (k = 0; k < cm->n_setting; k++) {
			bs[k].key = cm->setting[k].key;
			bs[k].value = cm->setting[k].value;
		}
		ret = be_check_settings(conf_mitigator_types[cm->type], bs,
		    cm->n_setting, conf_kind_of, c, why, sizeof(why));
		free(bs);
		if (ret != 0) {
			snprintf(err, errlen, "mitigator \"%.60s\": %.180s",
			    cm->name, why);
			return -1;
		}
	}
	return 0;
}

static struct backend *
find_backend(void *arg, const char *name)
{
	return backend_named(arg, name);
}

/* Mitigators that hand over to others (policy) find them. */
static int
bind_backends(struct daemon *dm, char *err, size_t errlen)
{
	struct backend *be;
	char why[256];
	size_t i;

	for (i = 0; i < dm->set.nbackends; i++) {
		be = dm->set.backends[i];
		if (be->ops->bind == NULL)
			continue;
		if (be->ops->bind(be, find_backend, dm, why, sizeof(why)) !=
		    0) {
			snprintf(err, errlen, "\"%.60s\": %.180s", be->name,
			    why);
			return -1;
		}
	}
	return 0;
}

static void
client_from_conf(struct daemon *dm, struct dotsd_client *cl,
    const struct conf_client *cc)
{
	snprintf(cl->mc.name, sizeof(cl->mc.name), "%s", cc->name);
	snprintf(cl->identity, sizeof(cl->identity), "%s:%s",
	    cc->identity.kind == CONF_ID_CN ? "cn" :
	    cc->identity.kind == CONF_ID_SPKI ? "spki" : "psk",
	    cc->identity.value);
	/* the key is copied: the tree it comes from goes on reload */
	snprintf(cl->psk_identity, sizeof(cl->psk_identity), "%s",
	    cc->psk_identity != NULL ? cc->psk_identity : "");
	memset(cl->psk_key, 0, sizeof(cl->psk_key));
	cl->psk_key_len = 0;
	if (cc->psk_identity != NULL &&
	    cc->psk_key.len <= sizeof(cl->psk_key)) {
		memcpy(cl->psk_key, cc->psk_key.data, cc->psk_key.len);
		cl->psk_key_len = cc->psk_key.len;
	}
	cl->mc.prefixes = cc->prefix;
	cl->mc.nprefixes = cc->n_prefix;
	cl->mc.fqdns = cc->fqdn;
	cl->mc.nfqdns = cc->n_fqdn;
	cl->mc.max_mitigations = cc->max_mitigations;
	cl->mc.max_rate = cc->max_rate;
	cl->mc.gateway = cc->gateway;
	cl->mc.backend = backend_named(dm, cc->mitigator->name);
}

/*
 * This server's name in a 5.08 diagnostic (RFC 8768 section 4: a name,
 * alias or address, without spaces): gateway-id, or the host name.
 */
static const char *
gateway_id(const struct conf *c, char *buf, size_t len)
{
	if (c->gateway_id != NULL)
		return c->gateway_id;
	if (gethostname(buf, len) != 0 || buf[0] == '\0' ||
	    strpbrk(buf, " \t") != NULL)
		snprintf(buf, len, "dotsd");
	buf[len - 1] = '\0';
	return buf;
}

static int
make_clients(struct daemon *dm)
{
	const struct conf *c = dm->conf;
	size_t i;

	dm->d.clients = calloc(c->n_client ? c->n_client : 1,
	    sizeof(*dm->d.clients));
	if (dm->d.clients == NULL)
		return -1;
	for (i = 0; i < c->n_client; i++)
		client_from_conf(dm, &dm->d.clients[i], &c->client[i]);
	dm->d.nclients = c->n_client;
	return 0;
}

static int
load_conf(struct daemon *dm, struct conf **out, char *err, size_t errlen)
{
	size_t i;
	int ret;

	ret = conf_parse_file(dm->conf_path, out, err, errlen);
	if (ret != 0)
		return ret;
	for (i = 0; i < dm->noverride; i++) {
		ret = conf_set(*out, dm->override_key[i], dm->override_val[i],
		    err, errlen);
		if (ret != 0) {
			conf_free(*out);
			*out = NULL;
			return ret;
		}
	}
	return 0;
}

/*
 * SIGHUP: new authorizations for the clients we know.  Sessions stay up:
 * a client keeps its struct, only its domain and limits change.  Clients
 * added or removed, and other keys, need a restart (logged).
 */
static void
reload(struct dotsd *d, void *arg)
{
	struct daemon *dm = arg;
	char err[CONF_ERR_MAX];
	struct conf *nc = NULL;
	size_t i;

	(void)d;
	if (load_conf(dm, &nc, err, sizeof(err)) != 0) {
		log_warnx("reload failed, keeping the old configuration: %s",
		    err);
		return;
	}
	if (conf_reload_check(dm->conf, nc, err, sizeof(err)) != 0)
		log_warnx("reload: %s (needs a restart; applying client "
		    "authorizations only)", err);
	for (i = 0; i < dm->d.nclients; i++) {
		struct dotsd_client *cl = &dm->d.clients[i];
		const struct conf_client *cc =
		    conf_client_by_name(nc, cl->mc.name);

		if (cc == NULL) {
			/*
			 * No longer configured: nothing is authorized, and no
			 * new session may start.  Its sessions stay up.
			 */
			log_warnx("reload: client %s removed; it may no "
			    "longer request mitigation", cl->mc.name);
			cl->mc.nprefixes = 0;
			cl->mc.nfqdns = 0;
			cl->identity[0] = '\0';
			cl->psk_identity[0] = '\0';
			memset(cl->psk_key, 0, sizeof(cl->psk_key));
			cl->psk_key_len = 0;
			continue;
		}
		client_from_conf(dm, cl, cc);
	}
	conf_free(dm->conf);
	dm->conf = nc;
	log_info("configuration reloaded");
}

/*
 * libcoap opens "::" dual-stack, so "0.0.0.0" on the same port is already
 * served and binding it again would fail for TCP.
 */
static bool
covered_by_dual_stack(const struct conf *c, const struct conf_listen *l)
{
	size_t i;

	if (strcmp(l->addr, "0.0.0.0") != 0)
		return false;
	for (i = 0; i < c->n_listen; i++)
		if (strcmp(c->listen[i].addr, "::") == 0 &&
		    c->listen[i].port == l->port)
			return true;
	return false;
}

/* The data channel's settings, from the data-channel-* keywords. */
static int
data_channel(struct daemon *dm)
{
	const struct conf *c = dm->conf;
	struct dc_settings *s = &dm->set.dc;
	struct dc_listen *l;
	size_t i;

	if (c->n_data_channel_listen == 0)
		return 0;
	l = calloc(c->n_data_channel_listen, sizeof(*l));
	if (l == NULL)
		return -1;
	for (i = 0; i < c->n_data_channel_listen; i++) {
		memcpy(&l[i].ss, &c->data_channel_listen[i].sa,
		    c->data_channel_listen[i].salen);
		l[i].len = c->data_channel_listen[i].salen;
	}
	s->listen = l;
	s->nlisten = c->n_data_channel_listen;
	s->ca_file = c->ca_file;
	s->cert_file = c->cert_file;
	s->key_file = c->key_file;
	s->yang_dir = c->data_channel_yang_dir != NULL ?
	    c->data_channel_yang_dir : DOTS_YANG_DIR;
	s->lifetime = c->data_channel_lifetime;
	s->max_body = 64 * 1024;
	s->max_connections = c->max_sessions;
	if (c->data_channel_lifetime < CONF_DC_MIN_LIFETIME)
		log_warnx("data-channel-lifetime %u s is shorter than the "
		    "week RFC 8783 requires", c->data_channel_lifetime);
	return 0;
}

static void
add_override(struct daemon *dm, const char *key, const char *val)
{
	if (dm->noverride == sizeof(dm->override_key) /
	    sizeof(dm->override_key[0]))
		usage();
	dm->override_key[dm->noverride] = key;
	dm->override_val[dm->noverride++] = val;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check-config", no_argument, NULL, 'n' },
		{ "listen", required_argument, NULL, 'l' },
		{ "database", required_argument, NULL, 'D' },
		{ "log-level", required_argument, NULL, 'L' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "cert-file", required_argument, NULL, 'c' },
		{ "key-file", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 }
	};
	static struct daemon dm;
	char err[CONF_ERR_MAX], hostname[MIT_NAME_MAX];
	int ch, foreground = 0, check = 0, verbose = 0;
	size_t i;

	dm.conf_path = DEFAULT_CONF;
	while ((ch = getopt_long(argc, argv, "df:nv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			foreground = 1;
			break;
		case 'f':
			dm.conf_path = optarg;
			break;
		case 'n':
			check = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'l':
			add_override(&dm, "listen", optarg);
			break;
		case 'D':
			add_override(&dm, "database", optarg);
			break;
		case 'L':
			add_override(&dm, "log-level", optarg);
			break;
		case 'C':
			add_override(&dm, "ca-file", optarg);
			break;
		case 'c':
			add_override(&dm, "cert-file", optarg);
			break;
		case 'k':
			add_override(&dm, "key-file", optarg);
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (load_conf(&dm, &dm.conf, err, sizeof(err)) != 0) {
		fprintf(stderr, "dotsd: %s\n", err);
		return 1;
	}
	if (check) {
		if (check_mitigators(dm.conf, err, sizeof(err)) != 0) {
			fprintf(stderr, "dotsd: %s\n", err);
			conf_free(dm.conf);
			return 1;
		}
		if (verbose)
			conf_print(stdout, dm.conf);
		else
			fprintf(stderr, "configuration OK\n");
		conf_free(dm.conf);
		return 0;
	}
	log_init(foreground || !dm.conf->syslog, LOG_DAEMON, "dotsd");
	log_setlevel(dm.conf->log_level);

	if (store_open(dm.conf->database, dm.conf->durable, &dm.d.store, err,
	    sizeof(err)) != 0)
		fatalx("store: %s", err);
	session_limits(&dm.d.limits.mitigating, &dm.conf->mitigating);
	session_limits(&dm.d.limits.idle, &dm.conf->idle);

	dm.set.listen = calloc(dm.conf->n_listen, sizeof(*dm.set.listen));
	if (dm.set.listen == NULL)
		fatalx("out of memory");
	for (i = 0; i < dm.conf->n_listen; i++) {
		if (covered_by_dual_stack(dm.conf, &dm.conf->listen[i]))
			continue;
		memcpy(&dm.set.listen[dm.set.nlisten].ss,
		    &dm.conf->listen[i].sa, dm.conf->listen[i].salen);
		dm.set.listen[dm.set.nlisten++].len = dm.conf->listen[i].salen;
	}
	dm.set.dtls = dm.conf->transport != CONF_TRANSPORT_TLS;
	dm.set.tls = dm.conf->transport != CONF_TRANSPORT_DTLS;
	dm.set.ca_file = dm.conf->ca_file;
	dm.set.cert_file = dm.conf->cert_file;
	dm.set.key_file = dm.conf->key_file;
	dm.set.abt_seconds = (int)dm.conf->active_but_terminating;
	dm.set.max_lifetime = dm.conf->max_lifetime;
	dm.set.gateway_id = gateway_id(dm.conf, hostname, sizeof(hostname));
	dm.set.max_sessions = dm.conf->max_sessions;
	dm.set.max_handshakes = dm.conf->max_handshakes;
	dm.set.control_socket = dm.conf->control_socket;
	dm.set.reload = reload;
	dm.set.reload_arg = &dm;
	if (data_channel(&dm) != 0)
		fatalx("out of memory");

	if (make_backends(&dm, err, sizeof(err)) != 0)
		fatalx("mitigator: %s", err);
	if (make_clients(&dm) != 0)
		fatalx("out of memory");
	if (dotsd_init(&dm.d, &dm.set, err, sizeof(err)) != 0)
		fatalx("%s", err);
	for (i = 0; i < dm.set.nbackends; i++)
		dm.set.backends[i]->report_arg = &dm.d;
	if (bind_backends(&dm, err, sizeof(err)) != 0)
		fatalx("mitigator: %s", err);
	if (dotsd_restore(&dm.d) != 0)
		log_warnx("store: cannot restore mitigations: %s",
		    store_errmsg(dm.d.store));
	log_info("dotsd started: %zu clients, %zu mitigators",
	    dm.d.nclients, dm.set.nbackends);

	dotsd_run(&dm.d, &dm.set);

	dotsd_cleanup(&dm.d);
	for (i = 0; i < dm.set.nbackends; i++)
		be_free(dm.set.backends[i]);
	free(dm.set.backends);
	free(dm.set.listen);
	free(dm.set.dc.listen);
	free(dm.d.clients);
	store_close(dm.d.store);
	conf_free(dm.conf);
	return 0;
}
