# Drives every POP3 command with python3 poplib and prints what it saw as JSON.
# argv: port user password big_message_number
import base64, hashlib, json, poplib, sys

port, user, password, big = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
out = {}
def err(f):
    try:
        return "OK " + f().decode()
    except poplib.error_proto as e:
        return e.args[0].decode()

p = poplib.POP3("127.0.0.1", port, timeout=60)
out["welcome"] = p.getwelcome().decode()
out["capa"] = {k: v for k, v in p.capa().items()}
out["lang"] = [l.decode() for l in p._longcmd("LANG")[1]]
out["pass_without_user"] = err(lambda: p.pass_(password))
out["bad_password"] = err(lambda: (p.user(user), p.pass_("wrong"))[1])
out["stat_before_login"] = err(lambda: p._shortcmd("STAT"))
out["auth_no_mech"] = err(lambda: p._shortcmd("AUTH"))
out["utf8"] = p.utf8().decode()
p.user(user)
out["pass"] = p.pass_(password).decode()
out["stat"] = list(p.stat())
out["list"] = [l.decode() for l in p.list()[1]]
out["list1"] = p.list(1).decode()
out["list_bad"] = err(lambda: p.list(999))
out["uidl"] = [l.decode() for l in p.uidl()[1]]
out["uidl1"] = p.uidl(1).decode()
out["top"] = [l.decode() for l in p.top(2, 1)[1]]
out["top_no_lines"] = err(lambda: p._shortcmd("TOP 1"))
out["retr_dots"] = [l.decode() for l in p.retr(2)[1]]
resp, lines, octets = p.retr(big)
body = b"\r\n".join(lines) + b"\r\n"
out["big"] = {"resp": resp.decode(), "octets": octets, "sha256": hashlib.sha256(body).hexdigest(), "len": len(body)}
out["dele"] = p.dele(1).decode()
out["retr_deleted"] = err(lambda: p.retr(1))
out["stat_after_dele"] = list(p.stat())
out["rset"] = p.rset().decode()
out["stat_after_rset"] = list(p.stat())
out["noop"] = p.noop().decode()
out["unknown"] = err(lambda: p._shortcmd("LAST"))
out["dele_again"] = p.dele(1).decode()
out["quit"] = p.quit().decode()

# AUTH (RFC 5034): PLAIN with an initial response, LOGIN with challenges, an abort.
q = poplib.POP3("127.0.0.1", port, timeout=60)
out["auth_abort"] = err(lambda: (q._putcmd("AUTH LOGIN"), q._getresp(), q._shortcmd("*"))[2])
out["auth_login"] = err(lambda: (
    q._putcmd("AUTH LOGIN"), q._getresp(),
    q._putcmd(base64.b64encode(user.encode()).decode()), q._getresp(),
    q._shortcmd(base64.b64encode(password.encode()).decode()))[4])
out["auth_stat"] = list(q.stat())
q.quit()
r = poplib.POP3("127.0.0.1", port, timeout=60)
out["auth_plain_bad"] = err(lambda: r._shortcmd("AUTH PLAIN " + base64.b64encode(b"\0" + user.encode() + b"\0nope").decode()))
out["auth_plain"] = err(lambda: r._shortcmd("AUTH PLAIN " + base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode()))
r.quit()
print(json.dumps(out))
