import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { checkPassword } from "@courier-imap/authlib";
import { ROOT, run, tmp } from "./tools.js";

const hasPython = spawnSync("python3", ["-c", "import pty"]).status === 0;
const ttySkip = hasPython
  ? false
  : process.env.CI === "true"
    ? false
    : "python3 (for a pty) is not installed";

// Drives `userdbpw ARGS > out` on a pseudo-terminal: answers each prompt with the next entry
// and records everything the terminal showed (the prompts on stderr, never the echo).
const PTY_DRIVER = `
import os, pty, select, sys, time
out, answers, cmd = sys.argv[1], sys.argv[2].split(","), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp("sh", ["sh", "-c", 'exec "$@" > ' + out, "sh"] + cmd)
seen = b""
deadline = time.time() + 20
while time.time() < deadline:
    if not select.select([fd], [], [], 1)[0]:
        continue
    try:
        chunk = os.read(fd, 1024)
    except OSError:
        break
    if not chunk:
        break
    seen += chunk
    if answers and seen.lower().rstrip().endswith(b"password:"):
        time.sleep(0.1)
        os.write(fd, answers.pop(0).encode() + b"\\r")
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode())
sys.exit(os.WEXITSTATUS(status))
`;

test("on a terminal userdbpw asks twice on stderr without echo, repeating until both agree", {
  skip: ttySkip,
}, async () => {
  const out = join(tmp(), "hash");
  const r = spawnSync(
    "python3",
    [
      "-c",
      PTY_DRIVER,
      out,
      "secret,typo,secret,secret",
      process.execPath,
      join(ROOT, "bin", "userdbpw"),
      "-md5",
    ],
    { encoding: "utf8", timeout: 30000 },
  );
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(
    r.stdout.replace(/\r/g, ""),
    "Password: \nReenter password: \nPasswords don't match.\n\nPassword: \nReenter password: \n",
  );
  const hash = readFileSync(out, "utf8");
  assert.match(hash, /^\$1\$[./0-9A-Za-z]{8}\$[./0-9A-Za-z]{22}\n$/);
  assert.ok(await checkPassword("secret", hash.trim()));
});

test("from a pipe userdbpw reads one line; every option gives a hash that verifies", async () => {
  for (const [args, re] of [
    [[], /^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/],
    [["-md5"], /^\$1\$[./0-9A-Za-z]{8}\$/],
  ] as const) {
    const r = run("userdbpw", [...args], "secret\nignored\n");
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, "", "no prompt without a terminal");
    assert.match(r.stdout.trim(), re);
    assert.ok(await checkPassword("secret", r.stdout.trim()));
  }
  const vectors = {
    "-hmac-md5": "cd3ba7deaad6e5ca23448ba42e379747a9e0f7f1fbc00c8a81bbaac395731b56",
    "-hmac-sha1": "091e0f4c6cb5277ee2beb639a60d0831b5c8adcdaee172433df3e96ba4f00fb1b6a490c3929d2034",
    "-hmac-sha256":
      "5a84072aab37d22275b139adf7a92564c7f674be98e77d991f6f689d29e0524572804f31b042016804d3dea2f4e991a21b1c8906be161594b202fb74afc8ceb3",
  };
  for (const [opt, want] of Object.entries(vectors))
    assert.equal(run("userdbpw", [opt], "secret").stdout, `${want}\n`);
  assert.equal(
    run("userdbpw", ["-md5", "-hmac-md5"], "secret\n").stdout,
    `${vectors["-hmac-md5"]}\n`,
    "HMAC wins",
  );
  const long = "x".repeat(9000);
  const r = run("userdbpw", ["-md5"], `${long}\n`);
  assert.ok(await checkPassword("x".repeat(8191), r.stdout.trim()), "input cut at 8191 bytes");
  const bad = run("userdbpw", ["-sha"], "secret\n");
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr, "userdbpw: invalid argument.\n");
  assert.equal(run("userdbpw", [], "").status, 1, "EOF before any character");
});

test("every tool has a man-page-like --help", () => {
  for (const tool of ["userdbpw", "makeuserdb", "userdb", "pw2userdb", "vchkpw2userdb"]) {
    const r = run(tool, ["--help"]);
    assert.equal(r.status, 0, tool);
    for (const section of ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS"])
      assert.match(r.stdout, new RegExp(`^${section}$`, "m"), `${tool} --help has ${section}`);
  }
});
