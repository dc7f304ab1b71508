#!/bin/bash
# Runs one FETCH against a real Dovecot (apt-get install dovecot-imapd) on a throwaway
# maildir holding the given message; used to produce fixtures/expected.json.
# Must run as root (the IMAP process runs as nobody).
# usage: oracle.sh msgfile 'fetch items'   -> prints the FETCH response(s) from dovecot
set -e
d=$(mktemp -d /tmp/dovecot-oracle.XXXXXX)
mkdir -p $d/Maildir/{cur,new,tmp} $d/run $d/state
cp "$1" "$d/Maildir/cur/1000000000.M1P1.host:2,"
cat > $d/dovecot.conf <<C
base_dir = $d/run
state_dir = $d/state
log_path = $d/log
mail_location = maildir:$d/Maildir:INDEX=MEMORY
ssl = no
protocols = imap
C
chown -R nobody:nogroup $d
printf 'a0 select inbox\r\na1 fetch 1 (%s)\r\na2 logout\r\n' "$2" | setpriv --reuid=nobody --regid=nogroup --clear-groups env USER=nobody HOME=$d ${DOVECOT_IMAP:-/usr/lib/dovecot/imap} -c $d/dovecot.conf 2>&1 | sed -n '/^\* 1 FETCH/,/^a1 /p' | sed '$d'
rm -rf $d
