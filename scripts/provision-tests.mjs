#!/usr/bin/env node
// Runs before `npm test`: makes sure the engines the tests start by themselves are installed. The
// browser tests drive Debian's Chromium, the pooling tests a real PgBouncer, the cluster and fault
// tests private redis-server and PostgreSQL instances. What is missing is installed from Debian's
// packages when this user may do so; otherwise the run stops at once with the exact command.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const postgresBinaries = () => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return false;
  return readdirSync(root).some((version) => existsSync(join(root, version, 'bin', 'initdb')));
};

/** Each need: how to tell it is there, and the Debian package that provides it. */
const NEEDS = [
  { what: 'Chromium (browser tests)', present: () => existsSync('/usr/bin/chromium'), pkg: 'chromium' },
  { what: 'PgBouncer (pooling tests)', present: () => existsSync('/usr/sbin/pgbouncer'), pkg: 'pgbouncer' },
  {
    what: 'redis-server and redis-cli',
    present: () => onPath('redis-server') && onPath('redis-cli'),
    pkg: 'redis-server',
  },
  { what: 'PostgreSQL server binaries', present: postgresBinaries, pkg: 'postgresql' },
];

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

const missing = NEEDS.filter((need) => !need.present());
if (missing.length === 0) process.exit(0);

const packages = missing.map((need) => need.pkg);
const command = `apt-get install -y ${packages.join(' ')}`;
const isRoot = process.getuid?.() === 0;
if (!isRoot || !onPath('apt-get')) {
  console.error(
    `The tests need ${missing.map((need) => need.what).join(', ')}. Install with:\n  sudo ${command}`,
  );
  process.exit(1);
}
console.error(`Installing ${packages.join(', ')} for the tests: ${command}`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
try {
  // The package lists may be absent on a fresh machine; refresh them only when an install fails.
  try {
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  } catch {
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', ...packages], { stdio: 'inherit', env });
  }
} catch {
  console.error(`Could not install ${packages.join(', ')}. Run:\n  sudo apt-get update && sudo ${command}`);
  process.exit(1);
}
const still = NEEDS.filter((need) => !need.present());
if (still.length > 0) {
  console.error(`Still missing after the install: ${still.map((need) => need.what).join(', ')}`);
  process.exit(1);
}
