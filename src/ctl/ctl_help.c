/*
 * opendots - DDoS Open Threat Signaling
 * SPDX-License-Identifier: BSD-2-Clause
 *
 * The help of dotsctl: a usage line and a paragraph per command, the
 * global options, the exit codes.  docs/dotsctl.md says the same at
 * length.
 */
#include "ctl.h"

static const struct {
	const char	*usage;
	const char	*help;
} cmds[] = {
	[CTL_CMD_MITIGATE] = {
	    "mitigate TARGET... [--port P,..] [--protocol P,..]\n"
	    "         [--fqdn NAME] [--uri URI] [--alias NAME]\n"
	    "         [--lifetime SECONDS|indefinite] [--source-prefix P]\n"
	    "         [--source-port P,..] [--acl NAME] [--preconfigured]\n"
	    "         [--server NAME] [--mid N] [--wait S] [--origin TEXT]",
	    "Request a mitigation of TARGET (an IPv4/IPv6 prefix or address;\n"
	    "several may be given).  Ports are numbers and ranges (80,443,\n"
	    "1000-2000), protocols names or numbers (tcp,udp,6); list options\n"
	    "may be repeated.  The lifetime defaults to 3600 seconds.\n"
	    "--preconfigured sends trigger-mitigation false: the server\n"
	    "mitigates only once the signal channel is lost.  --mid updates\n"
	    "that mitigation; --wait S waits S seconds (default 5) for the\n"
	    "server's answer, after which a request not yet delivered stays\n"
	    "queued in the daemon (exit status 4).  The scope is checked\n"
	    "before it is sent.", },
	[CTL_CMD_WITHDRAW] = {
	    "withdraw MID [--server NAME] [--wait S]",
	    "Withdraw mitigation MID (DELETE).  One not delivered yet is\n"
	    "simply dropped.", },
	[CTL_CMD_CANCEL] = {
	    "cancel MID [--server NAME]",
	    "Drop a request the daemon has not delivered yet.", },
	[CTL_CMD_EFFICACY] = {
	    "efficacy MID under-attack|mitigated [--server NAME]",
	    "Tell the server whether its mitigation works (RFC 9132\n"
	    "section 4.4.3).", },
	[CTL_CMD_STATUS] = {
	    "status [MID] [--server NAME] [--all] [--watch]",
	    "Show the mitigations (one, with MID).  --all includes ended\n"
	    "and failed ones; --watch then prints every change as it comes,\n"
	    "until interrupted.", },
	[CTL_CMD_SESSION] = {
	    "session [--server NAME] [set KEY=VALUE...]",
	    "Show the session configuration of a server, or change it.  KEY\n"
	    "is heartbeat-interval, missing-hb-allowed, max-retransmit,\n"
	    "ack-timeout, ack-random-factor or probing-rate; alone it sets\n"
	    "both mitigating-config and idle-config, prefixed with\n"
	    "mitigating. or idle. only that one.", },
	[CTL_CMD_SERVERS] = {
	    "servers",
	    "Show the configured DOTS servers and their sessions.", },
};
#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

static const char globals[] =
    "Global options:\n"
    "  -s, --socket PATH  the daemon's socket (default $" CTL_SOCKET_ENV
    ",\n"
    "                     else " CTL_SOCKET_DEFAULT ")\n"
    "  -j, --json         print the daemon's result as JSON\n"
    "  -h, --help         this help; dotsctl CMD --help for one command\n"
    "  --direct HOST[:PORT] --ca FILE --cert FILE --key FILE [--tls]\n"
    "                     no daemon: one request to a DOTS server (mitigate,\n"
    "                     status, withdraw, efficacy), over DTLS or TLS\n"
    "\n"
    "dotsctl dc --url https://HOST:PORT --ca F --cert F --key F COMMAND\n"
    "                     the data channel (RFC 8783); see dotsctl dc --help\n"
    "dotsctl server [-s PATH] mitigations|approvals|approve|reject|clients\n"
    "                     the DOTS server's administration (dotsd's socket);\n"
    "                     see dotsctl server --help\n";

static const char exits[] =
    "Exit status: 0 done, 1 refused or failed, 2 bad usage (nothing sent),\n"
    "3 daemon not reachable, 4 accepted but still pending.\n";

void
ctl_usage_line(FILE *f, enum ctl_cmd cmd)
{
	size_t i;

	if ((size_t)cmd < NCMDS && cmds[cmd].usage != NULL) {
		fprintf(f, "usage: dotsctl [-s PATH] [--json] %s\n",
		    cmds[cmd].usage);
		return;
	}
	fprintf(f, "usage: dotsctl [-s PATH] [--json] COMMAND [ARGS]\n"
	    "commands:");
	for (i = 1; i < NCMDS; i++)
		fprintf(f, " %s", ctl_cmd_name((enum ctl_cmd)i));
	fprintf(f, "\n");
}

void
ctl_help(FILE *f, enum ctl_cmd cmd)
{
	size_t i;

	if ((size_t)cmd < NCMDS && cmds[cmd].usage != NULL) {
		ctl_usage_line(f, cmd);
		fprintf(f, "\n%s\n\n%s\n%s", cmds[cmd].help, globals, exits);
		return;
	}
	fprintf(f, "dotsctl: the command line of the DOTS client (dotscd)\n\n");
	fprintf(f, "usage: dotsctl [options] COMMAND [ARGS]\n\n");
	for (i = 1; i < NCMDS; i++)
		fprintf(f, "  %s\n", cmds[i].usage);
	fprintf(f, "\n%s\n%s", globals, exits);
}
