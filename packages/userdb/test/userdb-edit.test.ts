import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ROOT, run, tmp, writeSource } from "./tools.js";

function userdbDir() {
  const base = join(tmp(), "userdb");
  mkdirSync(join(base, "example-com"), { recursive: true, mode: 0o700 });
  chmodSync(base, 0o700);
  return { base, env: { USERDB: base } };
}

test("path/NAME writes into a file of a userdb directory; -show lists and shows it", () => {
  const { base, env } = userdbDir();
  let r = run("userdb", ["example-com/users/john", "set", "uid=8", "gid=8", "home=/h/john"], "", env);
  assert.equal(r.status, 0, r.stderr);
  const file = join(base, "example-com", "users");
  assert.equal(readFileSync(file, "utf8"), "john\tuid=8|gid=8|home=/h/john\n");
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(existsSync(join(base, "example-com", ".lock.users")), "the .lock.<file> beside it");
  run("userdb", ["example-com/users/amy", "set", "uid=9", "gid=9", "home=/h/amy"], "", env);
  assert.equal(run("userdb", ["-show", "example-com/users"], "", env).stdout, "john\namy\n");
  assert.equal(
    run("userdb", ["-show", "example-com/users", "amy"], "", env).stdout,
    "uid=9\ngid=9\nhome=/h/amy\n",
  );
  assert.equal(
    run("userdb", ["-show", "example-com/users/john"], "", env).stdout,
    "uid=8\ngid=8\nhome=/h/john\n",
  );
  assert.equal(run("userdb", ["-show", "-f", file], "", env).stdout, "john\namy\n");
  assert.equal(run("userdb", ["-show", "example-com/users", "nobody"], "", env).stdout, "");
  r = run("userdb", ["-show", "example-com"], "", env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /example-com: not a file\./);
  // The compiled record carries _=<location> for userdb <_><name> set.
  assert.equal(run("makeuserdb", [], "", env).status, 0);
});

test("set keeps other lines, comments and field order; unset and del; Invalid field or value.", () => {
  const { base, env } = userdbDir();
  const file = join(base, "example-com", "users");
  writeSource(
    file,
    "# vmail\njohn\tuid=8|gid=8|home=/h/john|quota|mail=/m\n\nzoe\tuid=3|gid=3|home=/z\n",
    0o640,
  );
  let r = run("userdb", ["example-com/users/john", "set", "mail=/m2", "gecos=John"], "", env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    readFileSync(file, "utf8"),
    "# vmail\njohn\tuid=8|gid=8|home=/h/john|quota|mail=/m2|gecos=John\n\nzoe\tuid=3|gid=3|home=/z\n",
  );
  assert.equal(statSync(file).mode & 0o777, 0o640, "permissions kept");
  r = run("userdb", ["example-com/users/john", "unset", "quota", "gecos"], "", env);
  assert.match(readFileSync(file, "utf8"), /^john\tuid=8\|gid=8\|home=\/h\/john\|mail=\/m2$/m);
  r = run("userdb", ["example-com/users/zoe", "del"], "", env);
  assert.equal(r.status, 0);
  assert.equal(readFileSync(file, "utf8").includes("zoe"), false);
  r = run("userdb", ["example-com/users/zoe", "del", "extra"], "", env);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^Usage: userdb/);
  r = run("userdb", ["example-com/users/john", "set", "gecos=a|b"], "", env);
  assert.equal(r.stderr, "Invalid field or value.\n");
  r = run("userdb", ["example-com/users/john", "set", "gecos=a\nb"], "", env);
  assert.equal(r.stderr, "Invalid field or value.\n");
  r = run("userdb", ["example-com/users/john", "set", "gecos"], "x|y\n", env);
  assert.equal(r.stderr, "Invalid value.\n");
  assert.equal(r.status, 1);
  assert.equal(run("userdb", ["example-com/users/john", "set", "systempw"], "", env).status, 1, "EOF");
  r = run("userdb", ["example-com/users/john", "set", "systempw", "imappw"], "h1\nh2\n", env);
  assert.equal(r.status, 0, r.stderr);
  assert.match(readFileSync(file, "utf8"), /\|systempw=h1\|imappw=h2$/m);
});

test("symlinks to the file are followed; a symlinked userdb path is refused", () => {
  const { base, env } = userdbDir();
  const real = join(base, "example-com", "real");
  writeSource(real, "john\tuid=8|gid=8|home=/h/john\n", 0o600);
  symlinkSync("real", join(base, "example-com", "link"));
  const r = run("userdb", ["example-com/link/john", "set", "mail=/m"], "", env);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(real, "utf8"), "john\tuid=8|gid=8|home=/h/john|mail=/m\n");
  assert.ok(statSync(join(base, "example-com", "link")).isFile(), "the link still points at the file");
  const linkedBase = join(tmp(), "userdb");
  symlinkSync(base, linkedBase);
  const refused = run("userdb", ["x", "set", "uid=1"], "", { USERDB: linkedBase });
  assert.equal(refused.status, 1);
  assert.equal(refused.stderr, `ERROR: Wrong userdb command.\n       (${linkedBase} is a symbolic link)\n`);
});

test("userdb waits for the flock on .lock.<file>", async () => {
  const { base, env } = userdbDir();
  const file = join(base, "example-com", "users");
  const holder = spawn("flock", [join(base, "example-com", ".lock.users"), "sleep", "1"], {
    stdio: "ignore",
  });
  await sleep(200);
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [join(ROOT, "bin", "userdb"), "example-com/users/a", "set", "uid=1"],
    {
      env: { ...process.env, ...env },
      stdio: "ignore",
    },
  );
  const status = await new Promise((resolve) => child.on("close", resolve));
  assert.equal(status, 0);
  assert.ok(Date.now() - t0 >= 600, "userdb waited for the lock");
  assert.equal(holder.exitCode, 0);
  assert.equal(readFileSync(file, "utf8"), "a\tuid=1\n");
});
