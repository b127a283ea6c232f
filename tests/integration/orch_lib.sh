# opendots - DDoS Open Threat Signaling
# SPDX-License-Identifier: BSD-2-Clause
#
# Three roles on loopback, for scripts/demo-orchestrator.sh and
# bench/bench_escalation.sh (over gateway_lib.sh and flowspec_lib.sh):
#
#   - a forwarding node (gobgpd) and the orchestrator's GoBGP speaker;
#   - the upstream provider: a dotsd "upstream" with a log mitigator
#     ($T/upstream/mitigator.log), its client being client2;
#   - the orchestrator: the dotsd of lib.sh, with mitigators "fs"
#     (flowspec), "up" (dots, through the dotscd "orch-client" as
#     client2) and the policy "orch" that its client, client1, uses;
#   - the DMS: a dotscd in $T/dms with the offload block "dms1" towards
#     the orchestrator, as client1.
#
# Sourced, never run.
#
#	orch_init BUILD_DIR		the libraries, with BUILD_DIR's binaries
#	orch_start POLICY_LINES		start everything; POLICY_LINES are the
#					settings of the policy "orch"
#	dms ARGS...			dotsctl towards the DMS's dotscd
#	orch ARGS...			dotsctl server towards the orchestrator
. "$(dirname "${BASH_SOURCE[0]}")/gateway_lib.sh"
. "$(dirname "${BASH_SOURCE[0]}")/flowspec_lib.sh"

DOTSCTL=

orch_init() {
	local b=$1
	DOTSCTL=$b/src/ctl/dotsctl
	gw_init "$b/src/server/dotsd" "$b/src/cli/dots-codec" \
	    "$b/src/clientd/dotscd"
	gobgp_init
}

dms() { "$DOTSCTL" -s "$T/dms/dotscd.sock" "$@"; }
orch() { "$DOTSCTL" server -s "$T/dotsd.sock" "$@"; }

orch_start() {
	log "the forwarding node (gobgpd) and the orchestrator's BGP speaker"
	start_fwd
	start_speaker
	wait_established

	log "the upstream provider's DOTS server"
	extra_dotsd upstream "$(client_block client2 'prefix 192.0.2.0/24' \
	    'mitigator "log"')"
	extra_dotscd orch-client client2 "${XPORT[upstream]}"

	log "the orchestrator"
	dotsd_conf "gateway-id orchestrator
$(client_block client1 'prefix 192.0.2.0/24' 'mitigator "orch"')
mitigator \"fs\" {
	type flowspec
	gobgp \"$GOBGP\"
	api-host $SPK_ADDR
	api-port $SPK_API_PORT
	reconcile-interval 5
	retry-interval 1
}
$(dots_mitigator orch-client)
mitigator \"orch\" {
	type policy
$1
}"
	start_dotsd

	log "the DMS's DOTS client, with its offload block"
	mkdir -p "$T/dms"
	cat >"$T/dms/dotscd.conf" <<EOC
database "$T/dms/dotscd.db"
control-socket "$T/dms/dotscd.sock"
log-level debug
reconnect-min 1
reconnect-max 2
server "orchestrator" {
	address 127.0.0.1
	port $DOTSD_PORT
	server-name localhost
	transport dtls
	ca-file "$T/certs/ca.pem"
	cert-file "$T/certs/client1.pem"
	key-file "$T/certs/client1-key.pem"
}
offload "dms1" {
	server "orchestrator"
	link in-band
	start-percent 80
	stop-percent 50
	hold 0
}
EOC
	"$DOTSCD" -d -f "$T/dms/dotscd.conf" >>"$T/dms/dotscd.log" 2>&1 &
	BG_PIDS+=("$!")
	wait_until 5 test -S "$T/dms/dotscd.sock" ||
	    die "the DMS's dotscd did not start"
}
