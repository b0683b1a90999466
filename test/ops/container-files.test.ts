import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigSchema, loadConfig } from '../../src/config.js';
import { SHUTDOWN_TIMEOUT_MS } from '../../src/processes/lifecycle.js';

/**
 * No Docker engine runs here, so the container files are checked by reading them: compose against
 * the documented stack (services, container names, ports, environment, healthchecks, start order), the
 * Dockerfile against the usual hadolint rules, and submission.yml for its steps.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: string | { context: string; dockerfile?: string };
  container_name?: string;
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; retries?: number };
  stop_grace_period?: string;
  volumes?: string[];
  profiles?: string[];
  networks?: Record<string, { ipv4_address?: string }>;
}
// Merge keys (`<<: *anchor`), as compose resolves them.
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services;
const service = (name: string): Service => {
  const found = services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};

/** `${NAME:-default}` as compose resolves it with NAME unset. */
const interpolate = (value: string) => value.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');
const environment = (name: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(service(name).environment ?? {}).map(([k, v]) => [k, interpolate(String(v))]),
  );
const seconds = (duration: string) => {
  const match = /^(\d+)(ms|s|m)$/.exec(duration);
  if (!match) throw new Error(`unreadable duration ${duration}`);
  return Number(match[1]) * { ms: 0.001, s: 1, m: 60 }[match[2] as 'ms' | 's' | 'm'];
};

const GATEWAY_SERVICES = ['migrate', 'api', 'worker', 'checkout', 'receiver', 'setup'];
const KNOWN_VARIABLES = new Set(Object.keys(ConfigSchema.properties));

describe('docker-compose.yml', () => {
  it.each([
    ['postgres', 'pg_gateway'],
    ['redis', 'redis_gateway'],
    ['api', 'gateway_api'],
    ['worker', 'gateway_worker'],
    ['checkout', 'gateway_checkout'],
    ['receiver', 'gateway_receiver'],
  ])('has the %s service as container %s, with a healthcheck', (name, container) => {
    expect(service(name).container_name).toBe(container);
    expect(service(name).healthcheck?.test.length).toBeGreaterThan(1);
  });

  it('publishes the documented ports', () => {
    expect(service('api').ports).toEqual(['8000:8000', '3000:3000']);
    expect(service('checkout').ports).toEqual(['3001:3001']);
    expect(service('receiver').ports).toEqual(['4000:4000']);
    expect(service('postgres').ports).toEqual(['5432:5432']);
    expect(service('redis').ports).toEqual(['6379:6379']);
  });

  it('runs every gateway role from the one image built by the Dockerfile', () => {
    for (const name of GATEWAY_SERVICES) {
      expect(service(name).build, name).toBe('.');
      expect(service(name).image, name).toBe('payment-gateway:local');
    }
    const commands = Object.fromEntries(GATEWAY_SERVICES.map((n) => [n, service(n).command?.[0]]));
    expect(commands).toMatchObject({
      migrate: 'migrate',
      api: 'api',
      worker: 'worker',
      checkout: 'checkout',
      receiver: 'receiver',
    });
  });

  it('keeps Redis append-only and never evicting, and both stores on volumes', () => {
    const command = service('redis').command?.join(' ') ?? '';
    expect(command).toMatch(/--appendonly yes\b/);
    expect(command).toMatch(/--maxmemory-policy noeviction\b/);
    expect(service('redis').healthcheck?.test).toContain('redis-cli');
    expect(service('postgres').healthcheck?.test.join(' ')).toContain('pg_isready');
    expect(service('postgres').volumes?.[0]).toMatch(/^postgres-data:\/var\/lib\/postgresql\/data$/);
    expect(service('redis').volumes?.[0]).toMatch(/^redis-data:\/data$/);
    expect(Object.keys(compose.volumes ?? {})).toEqual(['postgres-data', 'redis-data']);
  });

  it('gives the API and the worker a valid test-mode configuration with every TEST_* variable', () => {
    const postgres = environment('postgres');
    for (const name of ['api', 'worker']) {
      const env = environment(name);
      for (const variable of Object.keys(ConfigSchema.properties).filter((v) => v.startsWith('TEST_'))) {
        expect(env[variable], `${name} ${variable}`).toBeDefined();
      }
      const config = loadConfig(env);
      expect(config).toMatchObject({
        TEST_MODE: true,
        TEST_PAYMENT_SUCCESS: true,
        WEBHOOK_RETRY_INTERVALS_TEST: true,
        WEBHOOK_ALLOW_PRIVATE_URLS: true,
        PORT: 8000,
        DASHBOARD_PORT: 3000,
        API_PUBLIC_URL: 'http://localhost:8000',
        CHECKOUT_PUBLIC_URL: 'http://localhost:3001',
      });
      expect(config.TEST_PROCESSING_DELAY).toBeGreaterThan(0);
      // Reaches the stores by their service names, with the credentials the postgres service creates.
      const database = new URL(config.DATABASE_URL);
      expect(database.hostname).toBe('postgres');
      expect(database.username).toBe(postgres.POSTGRES_USER);
      expect(database.password).toBe(postgres.POSTGRES_PASSWORD);
      expect(database.pathname).toBe(`/${postgres.POSTGRES_DB}`);
      expect(new URL(config.REDIS_URL).hostname).toBe('redis');
      expect(config.ADMIN_PASSWORD?.length).toBeGreaterThanOrEqual(8);
    }
    expect(environment('migrate').DATABASE_URL).toBe(environment('api').DATABASE_URL);
  });

  it('lets the checkout container reach the API by name while browsers use localhost', () => {
    const config = loadConfig(environment('checkout'));
    expect(config).toMatchObject({
      CHECKOUT_PORT: 3001,
      API_INTERNAL_URL: 'http://api:8000',
      API_PUBLIC_URL: 'http://localhost:8000',
      CHECKOUT_PUBLIC_URL: 'http://localhost:3001',
    });
    expect(loadConfig(environment('receiver'))).toMatchObject({
      RECEIVER_PORT: 4000,
      RECEIVER_WEBHOOK_SECRET: 'whsec_test_abc123',
    });
  });

  it('names only variables the gateway knows (a typo would silently fall back to a default)', () => {
    for (const name of ['migrate', 'api', 'worker', 'checkout', 'receiver']) {
      const unknown = Object.keys(environment(name)).filter((v) => !KNOWN_VARIABLES.has(v));
      expect(unknown, name).toEqual([]);
    }
  });

  it('keeps the scale profile out of the simple stack, and wires it to the cluster and the pooler', () => {
    const scaled = Object.entries(services).filter(([, s]) => s.profiles?.includes('scale'));
    expect(scaled.map(([name]) => name).sort()).toEqual([
      'api-scaled',
      'pgbouncer',
      'redis-cluster-init',
      'redis-node-1',
      'redis-node-2',
      'redis-node-3',
      'worker-scaled',
    ]);
    // Every other service runs without a profile, so `docker compose up -d` is unchanged.
    for (const name of [...GATEWAY_SERVICES, 'postgres', 'redis'])
      expect(service(name).profiles, name).toBeUndefined();
    const nodes = ['redis-node-1', 'redis-node-2', 'redis-node-3'].map(
      (name) => `${service(name).networks?.default?.ipv4_address}:6379`,
    );
    expect(service('redis-node-1').command).toEqual(
      expect.arrayContaining(['--cluster-enabled', 'noeviction']),
    );
    for (const name of ['api-scaled', 'worker-scaled']) {
      const env = environment(name);
      expect(
        Object.keys(env).filter((v) => !KNOWN_VARIABLES.has(v)),
        name,
      ).toEqual([]);
      const config = loadConfig(env);
      expect(config.REDIS_CLUSTER_NODES?.split(',')).toEqual(nodes);
      expect(new URL(config.DATABASE_URL).hostname).toBe('pgbouncer');
      expect(new URL(config.DATABASE_DIRECT_URL).hostname).toBe('postgres');
      expect(config.DATABASE_POOLED).toBe(true);
      expect(service(name).depends_on).toMatchObject({
        'redis-cluster-init': { condition: 'service_completed_successfully' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
    expect(environment('pgbouncer').POOL_MODE).toBe('transaction');
    expect(new URL(environment('pgbouncer').DATABASE_URL as string).hostname).toBe('postgres');
    expect(service('redis-cluster-init').command?.join(' ')).toContain(`--cluster create ${nodes.join(' ')}`);
  });

  it('starts each service once what it needs is healthy', () => {
    const healthy = { condition: 'service_healthy' };
    const migrated = { condition: 'service_completed_successfully' };
    for (const name of ['api', 'worker']) {
      expect(service(name).depends_on).toEqual({ postgres: healthy, redis: healthy, migrate: migrated });
    }
    expect(service('migrate').depends_on).toEqual({ postgres: healthy });
    expect(service('checkout').depends_on).toEqual({ api: healthy });
    expect(service('setup').depends_on).toEqual({ api: healthy, receiver: healthy });
  });

  it('probes each role where it listens', () => {
    const probe = (name: string) => service(name).healthcheck?.test ?? [];
    expect(probe('api')).toEqual(['CMD', 'node', 'docker/healthcheck.mjs', 'http://127.0.0.1:8000/health']);
    expect(probe('worker')).toEqual([
      'CMD',
      'node',
      'docker/healthcheck.mjs',
      'http://127.0.0.1:9464/health',
    ]);
    expect(environment('worker').METRICS_PORT).toBe('9464');
    expect(probe('checkout').at(-1)).toBe('http://127.0.0.1:3001/checkout.js');
    expect(probe('receiver').at(-1)).toBe('http://127.0.0.1:4000/health');
  });

  it('gives every gateway process longer to stop than its own shutdown bound', () => {
    for (const name of ['api', 'worker', 'checkout', 'receiver']) {
      const grace = service(name).stop_grace_period;
      expect(grace, name).toBeDefined();
      expect(seconds(grace as string) * 1000, name).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS);
    }
  });

  it('points the demo merchant at the receiver, reachable from the worker', () => {
    const setup = service('setup');
    expect(setup.entrypoint).toEqual(['node', 'docker/demo-setup.mjs']);
    expect(environment('setup')).toEqual({
      SETUP_API_URL: 'http://api:8000',
      SETUP_WEBHOOK_URL: 'http://receiver:4000/webhook',
    });
  });
});

/** Dockerfile instructions with continuation lines joined, comments dropped. */
function instructions(text: string): Array<{ op: string; args: string }> {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...rest] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** Whether .dockerignore sends `path` to the builder: the last matching pattern wins. */
function sentToBuilder(path: string, patterns: string[]): boolean {
  const toRegex = (glob: string) =>
    new RegExp(
      `^${glob
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*/g, '\0')
        .replace(/\*/g, '[^/]*')
        .replace(/\?/g, '[^/]')
        .replace(/\0/g, '.*')}(/.*)?$`,
    );
  let included = true;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (toRegex(negated ? pattern.slice(1) : pattern).test(path)) included = negated;
  }
  return included;
}

describe('Dockerfile', () => {
  const steps = instructions(read('Dockerfile'));
  const stages = steps.reduce<Array<typeof steps>>((all, step) => {
    if (step.op === 'FROM') all.push([]);
    all.at(-1)?.push(step);
    return all;
  }, []);
  const runtime = stages.at(-1) ?? [];
  const ignore = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));

  it('builds in one stage and runs from a slim second one with production dependencies only', () => {
    expect(stages.length).toBe(2);
    const build = stages[0] ?? [];
    expect(build.some((s) => s.op === 'RUN' && /^npm ci\b/.test(s.args) && !/--omit=dev/.test(s.args))).toBe(
      true,
    );
    expect(build.some((s) => s.op === 'RUN' && s.args === 'npm run build')).toBe(true);
    expect(runtime.some((s) => s.op === 'RUN' && /^npm ci --omit=dev\b/.test(s.args))).toBe(true);
    expect(runtime.some((s) => s.op === 'COPY' && /^--from=build \/app\/dist \.\/dist$/.test(s.args))).toBe(
      true,
    );
  });

  it('pins every base image to a tag, never latest (DL3006, DL3007)', () => {
    for (const from of steps.filter((s) => s.op === 'FROM')) {
      const image = from.args.split(/\s+/)[0] ?? '';
      expect(image).toMatch(/^[a-z0-9./-]+:[A-Za-z0-9._-]+$/);
      expect(image).not.toMatch(/:latest$/);
    }
  });

  it('runs as an unprivileged user with a healthcheck and exec-form commands (DL3002, DL3025)', () => {
    const users = runtime.filter((s) => s.op === 'USER').map((s) => s.args);
    expect(users.at(-1)).toBe('node');
    expect(
      runtime.some(
        (s) => s.op === 'HEALTHCHECK' && /CMD \["node", "docker\/healthcheck\.mjs"\]/.test(s.args),
      ),
    ).toBe(true);
    for (const step of runtime.filter((s) => ['CMD', 'ENTRYPOINT'].includes(s.op))) {
      expect(() => JSON.parse(step.args), step.op).not.toThrow();
    }
    expect(JSON.parse(runtime.find((s) => s.op === 'ENTRYPOINT')?.args ?? '[]')).toEqual([
      'node',
      'bin/gateway.js',
    ]);
  });

  it('avoids the usual hadolint findings', () => {
    for (const step of steps) {
      expect(step.op, 'use COPY, not ADD (DL3020)').not.toBe('ADD');
      expect(step.op, 'no MAINTAINER (DL4000)').not.toBe('MAINTAINER');
      if (step.op === 'WORKDIR') expect(step.args, 'absolute WORKDIR (DL3000)').toMatch(/^\//);
      if (step.op === 'RUN') {
        expect(step.args, 'WORKDIR, not cd (DL3003)').not.toMatch(/(^|&&|;)\s*cd\s/);
        expect(step.args, 'no sudo (DL3004)').not.toMatch(/\bsudo\b/);
        expect(step.args, 'no package-manager upgrades (DL3005)').not.toMatch(
          /apt-get (dist-)?upgrade|apk upgrade/,
        );
        expect(step.args, 'pinned npm installs (DL3016)').not.toMatch(/npm (install|i) /);
        expect(step.args, 'no pipes without pipefail (DL4006)').not.toMatch(/[^|]\|[^|]/);
      }
    }
    const runs = steps.map((s) => s.op).join(' ');
    expect(runs, 'consecutive RUNs (DL3059)').not.toMatch(/RUN RUN/);
  });

  it('copies only files that exist and that .dockerignore sends to the builder', () => {
    const copies = steps.filter((s) => s.op === 'COPY' && !s.args.startsWith('--from='));
    expect(copies.length).toBeGreaterThan(0);
    for (const copy of copies) {
      const sources = copy.args
        .split(/\s+/)
        .filter((a) => !a.startsWith('--'))
        .slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(root, source)), source).toBe(true);
        expect(sentToBuilder(source.replace(/\/$/, ''), ignore), source).toBe(true);
      }
    }
    // What the build reads beyond the copied folders, and what must never be sent.
    for (const needed of ['scripts/build.mjs', 'src/cli.ts', 'bin/gateway.js', 'docker/healthcheck.mjs']) {
      expect(sentToBuilder(needed, ignore), needed).toBe(true);
    }
    for (const excluded of [
      'node_modules/pg/package.json',
      'dist/cli.js',
      'test/ops/scale.test.ts',
      '.git/HEAD',
    ]) {
      expect(sentToBuilder(excluded, ignore), excluded).toBe(false);
    }
    expect(JSON.parse(read('package.json')).scripts.build).toBe('node scripts/build.mjs');
  });
});

describe('submission.yml', () => {
  const submission = parse(read('submission.yml')) as Record<string, unknown>;
  const commands = (step: string) => submission[step] as string[];

  it('lists setup, start, test, verify and shutdown commands', () => {
    expect(Object.keys(submission)).toEqual(['setup', 'start', 'test', 'verify', 'shutdown']);
    for (const step of Object.keys(submission)) {
      expect(Array.isArray(submission[step]), step).toBe(true);
      expect(commands(step).length, step).toBeGreaterThan(0);
      for (const command of commands(step)) expect(typeof command).toBe('string');
    }
    expect(commands('setup')).toContain('docker compose build');
    expect(commands('start')).toContain('docker compose up -d');
    expect(commands('shutdown')).toContain('docker compose down');
  });

  it('verifies the health, the job status, checkout.js and the dashboard pages', () => {
    const verify = commands('verify').join('\n');
    for (const url of [
      'http://localhost:8000/health',
      'http://localhost:8000/api/v1/test/jobs/status',
      'http://localhost:3001/checkout.js',
      'http://localhost:8000/dashboard/webhooks',
      'http://localhost:8000/dashboard/docs',
      'http://localhost:3000/dashboard',
    ]) {
      expect(verify).toContain(url);
    }
    for (const command of commands('verify')) expect(command).toMatch(/^curl -fsS/);
  });

  it('runs scripts that exist and are executable', () => {
    const scripts = Object.values(submission)
      .flat()
      .flatMap((command) => String(command).match(/docker\/[\w.-]+\.sh/g) ?? []);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(existsSync(join(root, script)), script).toBe(true);
      expect(statSync(join(root, script)).mode & 0o111, script).not.toBe(0);
    }
  });
});
