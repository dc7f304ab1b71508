import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { run, tmp } from "./tools.js";

const PASSWD = [
  "root:x:0:0:root:/root:/bin/bash",
  "# a comment",
  "john:x:1000:100:John Doe|Admin,,,:/home/john:/bin/sh",
  "amy:$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1:1001:100::/home/amy:",
  "nopw:x:1002:100:::",
  "",
].join("\n");
const SHADOW = "root:*:19000:0:99999:7:::\njohn:$6$salt$hash:19000::::::\nghost:$1$x$y:1::::::\n";

const debianPw2userdb = existsSync("/usr/sbin/pw2userdb") && spawnSync("perl", ["-v"]).status === 0;
const debianSkip =
  debianPw2userdb || process.env.CI === "true"
    ? false
    : "Debian's pw2userdb (courier-authlib-userdb) is not installed";

function files() {
  const dir = tmp();
  writeFileSync(join(dir, "passwd"), PASSWD);
  writeFileSync(join(dir, "shadow"), SHADOW);
  return { passwd: join(dir, "passwd"), shadow: join(dir, "shadow") };
}

const sorted = (s: string) => s.split("\n").filter(Boolean).sort();

test("pw2userdb prints accounts and reverse uid lines; shadow wins; --nouid, --domain, --noshadow", () => {
  const f = files();
  const r = run("pw2userdb", [`--passwd=${f.passwd}`, "--shadow", f.shadow]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(
    r.stdout,
    "root\tuid=0|gid=0|home=/root|shell=/bin/bash|systempw=*|gecos=root\n0=\troot\n" +
      "john\tuid=1000|gid=100|home=/home/john|shell=/bin/sh|systempw=$6$salt$hash|gecos=John Doe.Admin,,,\n1000=\tjohn\n" +
      "amy\tuid=1001|gid=100|home=/home/amy|systempw=$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1\n1001=\tamy\n" +
      "nopw\tuid=1002|gid=100|home=\n1002=\tnopw\n",
  );
  const d = run("pw2userdb", [`--passwd=${f.passwd}`, "--noshadow", "--nouid", "--domain=example.com"]);
  assert.deepEqual(sorted(d.stdout).slice(0, 2), [
    "amy@example.com\tuid=1001|gid=100|home=/home/amy|systempw=$1$M6YnO2lA$lRvzbaFWBROo4Adjqcg1E1",
    "john@example.com\tuid=1000|gid=100|home=/home/john|shell=/bin/sh|gecos=John Doe.Admin,,,",
  ]);
  const bad = run("pw2userdb", ["--frob"]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /Invalid options\./);
});

test("pw2userdb prints the same lines as Debian's (order aside)", { skip: debianSkip }, () => {
  const f = files();
  for (const args of [
    [`--passwd=${f.passwd}`, `--shadow=${f.shadow}`],
    [`--passwd=${f.passwd}`, "--noshadow", "--nouid", "--domain=example.com"],
  ]) {
    const theirs = spawnSync("/usr/sbin/pw2userdb", args, { encoding: "utf8" });
    assert.equal(theirs.status, 0, theirs.stderr);
    assert.deepEqual(sorted(run("pw2userdb", args).stdout), sorted(theirs.stdout), args.join(" "));
  }
});

test("a shared uid gets one reverse line, so makeuserdb does not fail on it", () => {
  const dir = tmp();
  writeFileSync(join(dir, "passwd"), "a:x:5:5::/a:\nb:x:5:5::/b:\n");
  const r = run("pw2userdb", [`--passwd=${join(dir, "passwd")}`, "--noshadow"]);
  assert.equal(r.stdout, "a\tuid=5|gid=5|home=/a\n5=\ta\nb\tuid=5|gid=5|home=/b\n");
  assert.match(r.stderr, /uid 5 of b is also a's/);
});

test("vchkpw2userdb converts users/vpasswd and domains/*/vpasswd, to stdout or --todir", () => {
  const home = join(tmp(), "vpopmail");
  mkdirSync(join(home, "users"), { recursive: true });
  mkdirSync(join(home, "domains", "example.com"), { recursive: true });
  mkdirSync(join(home, "domains", "0", "hashed.org"), { recursive: true });
  writeFileSync(
    join(home, "users", "vpasswd"),
    "postmaster:$1$a$b:1:0:Postmaster:/v/users/postmaster:NOQUOTA:sec\n",
  );
  writeFileSync(
    join(home, "domains", "example.com", "vpasswd"),
    "joe:$1$c$d:1:0:Joe:/v/d/example.com/joe:10000S\n",
  );
  writeFileSync(
    join(home, "domains", "0", "hashed.org", "vpasswd"),
    "kim:$1$e$f:1:0::/v/d/0/hashed.org/kim:\n",
  );
  const st = statSync(home);
  const ids = `uid=${st.uid}|gid=${st.gid}`;
  const hasVpopmail = spawnSync("getent", ["passwd", "vpopmail"]).status === 0;
  const r = run("vchkpw2userdb", [`--vpopmailhome=${home}`]);
  assert.equal(r.status, 0, r.stderr);
  const expected = [
    `postmaster\t${ids}|home=/v/users/postmaster|shell=NOQUOTA|systempw=$1$a$b|gecos=Postmaster`,
    `kim@hashed.org\t${ids}|home=/v/d/0/hashed.org/kim|systempw=$1$e$f`,
    `joe@example.com\t${ids}|home=/v/d/example.com/joe|shell=10000S|systempw=$1$c$d|gecos=Joe`,
  ];
  if (!hasVpopmail) assert.deepEqual(r.stdout.split("\n").filter(Boolean).sort(), [...expected].sort());
  const todir = join(tmp(), "userdb", "vpopmail");
  assert.equal(run("vchkpw2userdb", [`--vpopmailhome=${home}`, `--todir=${todir}`]).status, 0);
  assert.equal(statSync(todir).mode & 0o777, 0o700);
  assert.equal(statSync(join(todir, "example.com")).mode & 0o777, 0o600);
  // The documented way to discard a redundant file: a link to /dev/null survives later runs.
  rmSync(join(todir, "example.com"));
  symlinkSync("/dev/null", join(todir, "example.com"));
  assert.equal(run("vchkpw2userdb", [`--vpopmailhome=${home}`, `--todir=${todir}`]).status, 0);
  assert.ok(lstatSync(join(todir, "example.com")).isSymbolicLink());
  if (!hasVpopmail) {
    assert.equal(readFileSync(join(todir, "users"), "utf8"), `${expected[0]}\n`);
    assert.equal(readFileSync(join(todir, "hashed.org"), "utf8"), `${expected[1]}\n`);
  }
  const missing = run("vchkpw2userdb", [`--vpopmailhome=${join(home, "nope")}`]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope: not found\./);
});
