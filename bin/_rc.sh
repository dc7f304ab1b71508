# Shared body of imapd.rc, imapd-ssl.rc, pop3d.rc and pop3d-ssl.rc (Courier's rc scripts,
# spec/pop3d-and-tcpd.md §7). The calling script sets:
#   RC       its name                     SERVER  the worker program in bin (imapd, pop3d)
#   FIRST    config file sourced first    SECOND  the one sourced last (it wins)
#   SSL      "" or "SSL" (selects SSLPORT, SSLADDRESS, SSLPIDFILE, SSLLOGGEROPTS)
#   OVERRIDES  shell assignments made after sourcing (e.g. IMAP_TLS=1)
# Environment: COURIER_SYSCONFDIR (default /etc/courier) is where the config files are;
# COURIER_BINDIR (default: this script's directory) where courierlogger, couriertcpd,
# makedat and the server are.

sysconfdir="${COURIER_SYSCONFDIR:-/etc/courier}"
bindir="${COURIER_BINDIR:-$(cd "$(dirname "$0")" && pwd)}"

rc_help() {
	cat <<HELP
Usage: $RC start|stop|restart

Runs the ${SSL:+TLS }$SERVER listener as Courier's $RC does: sources
$sysconfdir/$FIRST then $sysconfdir/$SECOND with every variable exported,
in an environment cleared with env -i, then starts
  courierlogger -pid=\$${SSL}PIDFILE -start \$${SSL}LOGGEROPTS couriertcpd
    -address=\$${SSL}ADDRESS -maxprocs=\$MAXDAEMONS -maxperip=\$MAXPERIP
    [-access=\$IMAPACCESSFILE.dat] \$TCPDOPTS [-prespawn=\$PRESPAWN]
    \$${SSL}PORT $SERVER \$MAILDIRPATH
after: ${OVERRIDES:-nothing else}.
  start    does nothing (and says so) when it is already running
  stop     SIGTERM to the logger and listener, which pass it to every session
  restart  SIGHUP: the listener re-reads its access file
IMAPDSTART/IMAPDSSLSTART/POP3DSTART/POP3DSSLSTART are for init scripts; this
script ignores them, as Courier's does.

Environment: COURIER_SYSCONFDIR (config directory, default /etc/courier),
COURIER_BINDIR (programs, default the script's directory). PATH,
COURIER_SYSLOG_SOCKET and TZ are passed through env -i.
HELP
}

case "$1" in
--help|-h|help) rc_help; exit 0 ;;
start|stop|restart) ;;
*) echo "Usage: $RC start|stop|restart" >&2; exit 1 ;;
esac

if [ ! -x "$bindir/$SERVER" ]; then
	echo "$RC: $bindir/$SERVER is not installed; the $SERVER server is not available in this build" >&2
	exit 1
fi
for f in "$FIRST" "$SECOND"; do
	if [ ! -f "$sysconfdir/$f" ]; then
		echo "$sysconfdir/$f does not exist, forgot make install-configure?" >&2
		exit 1
	fi
done

set -a
. "$sysconfdir/$FIRST"
. "$sysconfdir/$SECOND"
set +a
eval "pidfile=\${${SSL}PIDFILE}"
if [ -z "$pidfile" ]; then
	echo "$RC: ${SSL}PIDFILE is not set in $sysconfdir/$SECOND" >&2
	exit 1
fi

case "$1" in
stop) exec "$bindir/courierlogger" -pid="$pidfile" -stop ;;
restart) exec "$bindir/courierlogger" -pid="$pidfile" -restart ;;
esac

pid=$(cat "$pidfile" 2>/dev/null)
if [ -n "$pid" ] && [ -f "$pidfile.lock" ] && kill -0 "$pid" 2>/dev/null && \
	! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
	echo "$RC: already running (pid $pid)" >&2
	exit 0
fi

if [ -n "$TLS_CACHEFILE" ]; then
	rm -f "$TLS_CACHEFILE"
	touch "$TLS_CACHEFILE" && chmod 600 "$TLS_CACHEFILE"
	id courier >/dev/null 2>&1 && chown courier:courier "$TLS_CACHEFILE" 2>/dev/null
fi
[ -n "$IMAP_UMASK" ] && umask "$IMAP_UMASK"
access=""
if [ -n "$IMAPACCESSFILE" ]; then
	if [ ! -f "$IMAPACCESSFILE.dat" ] && [ -e "$IMAPACCESSFILE" ]; then
		"$bindir/makedat" -src="$IMAPACCESSFILE" -file="$IMAPACCESSFILE.dat" \
			-tmp="$IMAPACCESSFILE.tmp" -cidr || exit 1
	fi
	[ -f "$IMAPACCESSFILE.dat" ] && access="-access=$IMAPACCESSFILE.dat"
fi
[ -n "$IMAP_ULIMITD" ] && ulimit -v "$IMAP_ULIMITD" 2>/dev/null

exec env -i PATH="${PATH:-/usr/bin:/bin}" ${TZ:+TZ="$TZ"} \
	${COURIER_SYSLOG_SOCKET:+COURIER_SYSLOG_SOCKET="$COURIER_SYSLOG_SOCKET"} \
	/bin/sh -c "set -a; . '$sysconfdir/$FIRST'; . '$sysconfdir/$SECOND'; $OVERRIDES
		mkdir -p \"\$(dirname \"\$${SSL}PIDFILE\")\"
		exec '$bindir/courierlogger' -pid=\"\$${SSL}PIDFILE\" -start \$${SSL}LOGGEROPTS \
			'$bindir/couriertcpd' -address=\"\$${SSL}ADDRESS\" -maxprocs=\"\$MAXDAEMONS\" \
			-maxperip=\"\$MAXPERIP\" $access \$TCPDOPTS \${PRESPAWN:+-prespawn=\"\$PRESPAWN\"} \"\$${SSL}PORT\" '$bindir/$SERVER' \"\$MAILDIRPATH\""
