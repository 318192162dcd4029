import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorkbenchConfig, WORKBENCH_SECTION_NAMES, workbenchSettingNames } from '@cprh/simulator';
import { makeDevPki } from '@cprh/testkit';
import {
  APP_ENTRIES,
  APPS,
  ROOT,
  argv,
  compose,
  envOf,
  interpolatedNames,
  published,
  resolve,
  seconds,
  service,
  services,
  MONITORING,
  composeText,
  serviceEnv,
  sourceOfBundle,
} from './compose-file';

// There is no Docker engine here: the compose file must be right by construction, so this test
// reads it the way `docker compose` would and checks what the product relies on.

const secretsDir = mkdtempSync(join(tmpdir(), 'cprh-compose-secrets-'));
afterAll(() => rmSync(secretsDir, { recursive: true, force: true }));

describe('docker-compose.yml', () => {
  it('has exactly the product services', () => {
    expect(Object.keys(services).sort()).toEqual([
      'board',
      'grafana',
      'poller',
      'prometheus',
      'rabbitmq',
      'receiver',
      'redis',
      'simulator',
      'webhooks',
      'worker',
    ]);
  });

  it('runs Redis 7 with AOF (fsync before every reply, rewritten from 1 GB), noeviction, a named volume and a ping healthcheck', () => {
    const redis = service('redis');
    expect(redis.image).toBe('redis:7-alpine');
    const cmd = argv(redis.command);
    expect(cmd[0]).toBe('redis-server');
    const flag = (name: string) => cmd[cmd.indexOf(name) + 1];
    expect(cmd).toContain('--appendonly');
    expect(flag('--appendonly')).toBe('yes');
    expect(flag('--appendfsync')).toBe('always');
    // The bench's private Redis rewrites as the deployment does (apps/bench/src/private-redis.ts).
    expect(flag('--auto-aof-rewrite-min-size')).toBe('1gb');
    expect(flag('--maxmemory-policy')).toBe('noeviction');
    const dataVolume = (redis.volumes ?? []).map(String).find((v) => v.endsWith(':/data'));
    expect(dataVolume).toBeDefined();
    const volumeName = dataVolume?.split(':')[0] ?? '';
    expect(volumeName).not.toMatch(/^[./~]/); // a named volume, not a bind mount
    expect(Object.keys(compose.volumes ?? {})).toContain(volumeName);
    expect(argv(redis.healthcheck?.test).join(' ')).toMatch(/redis-cli ping$/);
  });

  it('runs RabbitMQ 3.13 with the management plugin and a diagnostics healthcheck', () => {
    const mq = service('rabbitmq');
    expect(mq.image).toBe('rabbitmq:3.13-management-alpine');
    expect(argv(mq.healthcheck?.test).join(' ')).toMatch(/rabbitmq-diagnostics -q ping$/);
  });

  it('builds every app service from the one Dockerfile and runs its own entry file, which exists', () => {
    const images = new Set<string>();
    for (const name of APPS) {
      const s = service(name);
      const build = typeof s.build === 'string' ? { context: s.build } : s.build;
      expect(build?.context).toBe('.');
      expect(build?.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
      images.add(s.image ?? `(none for ${name})`);
      // The compiled bundle with plain node (source maps on, so stack traces name the .ts lines).
      expect(argv(s.command)).toEqual(['node', '--enable-source-maps', `apps/${name}/dist/main.js`]);
      const entry = APP_ENTRIES[name] ?? '';
      expect(sourceOfBundle(argv(s.command)[2] ?? '')).toBe(entry);
      expect([name, entry, existsSync(join(ROOT, entry)) ? 'exists' : 'missing']).toEqual([
        name,
        entry,
        'exists',
      ]);
      // `pnpm run build` writes that bundle: the app's build script is the bundler.
      const pkg = JSON.parse(readFileSync(join(ROOT, 'apps', name, 'package.json'), 'utf8')) as {
        scripts?: Record<string, string>;
      };
      expect([name, pkg.scripts?.build]).toEqual([name, 'node ../../scripts/bundle-app.mjs']);
    }
    expect(images.size).toBe(1);
    expect(existsSync(join(ROOT, 'Dockerfile'))).toBe(true);
  });

  it("checks every app service's health on its /readyz, which its METRICS_PORT serves", () => {
    for (const name of APPS) {
      const s = service(name);
      expect([name, argv(s.healthcheck?.test)]).toEqual([
        name,
        ['CMD', 'node', '/app/deploy/readyz-check.cjs'],
      ]);
      expect([name, envOf(s).METRICS_PORT]).toEqual([name, '9464']);
    }
    expect(existsSync(join(ROOT, 'deploy', 'readyz-check.cjs'))).toBe(true);
  });

  it('gives every service an image or a build and restarts it unless stopped; only monitoring is a profile', () => {
    for (const [name, s] of Object.entries(services)) {
      expect([name, Boolean(s.image ?? s.build)]).toEqual([name, true]);
      expect([name, s.restart]).toEqual([name, 'unless-stopped']);
      // The product is profile-free: `docker compose up` starts the simulator too, for the demo.
      // Prometheus and Grafana come only with `--profile monitoring`.
      const expected = MONITORING.includes(name) ? ['monitoring'] : undefined;
      expect([name, s.profiles]).toEqual([name, expected]);
    }
  });

  it('starts apps only after their dependencies are healthy', () => {
    for (const name of APPS) {
      const deps = service(name).depends_on;
      expect(Array.isArray(deps)).toBe(false); // the list form cannot wait for health
      const entries = Object.entries((deps ?? {}) as Record<string, { condition?: string }>);
      expect(entries.map(([d]) => d)).toContain('redis');
      for (const [dep, { condition }] of entries) {
        expect([name, dep, condition]).toEqual([name, dep, 'service_healthy']);
        expect(service(dep).healthcheck?.test).toBeDefined();
      }
    }
    const pollerDeps = Object.keys(service('poller').depends_on ?? {});
    expect(pollerDeps).toEqual(expect.arrayContaining(['redis', 'rabbitmq']));
    expect(Object.keys(service('simulator').depends_on ?? {})).toContain('rabbitmq');
  });

  it('points the apps at the compose Redis and RabbitMQ', () => {
    for (const name of APPS) {
      const env = envOf(service(name));
      expect([name, env.REDIS_URL]).toEqual([name, 'redis://redis:6379']);
      // The poller reaches the dueslag as at KOMBIT: through the simulator's STS + AMQP front.
      const amqpUrl = name === 'poller' ? 'amqps://simulator:5671/BF' : 'amqp://guest:guest@rabbitmq:5672';
      expect([name, env.AMQP_URL]).toEqual([name, amqpUrl]);
    }
    expect(envOf(service('poller')).AMQP_AUTH).toBe('sts');
    expect(envOf(service('simulator')).SIM_AMQP_FRONT).toBe('true');
    // `guest` may log in from localhost only unless the broker lifts that; the apps are other containers.
    expect(envOf(service('rabbitmq')).RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS).toBe('-rabbit loopback_users []');
  });

  it('names only real settings, and each app service config loads', () => {
    const known = new Set(workbenchSettingNames());
    for (const name of APPS) {
      const env = envOf(service(name));
      for (const key of Object.keys(env)) expect([name, key, known.has(key)]).toEqual([name, key, true]);
      for (const value of Object.values(env)) {
        for (const v of interpolatedNames(value)) expect([name, v, known.has(v)]).toEqual([name, v, true]);
      }
      const resolved = serviceEnv(name, { BOARD_PASSWORD: 'from-the-environment' }, secretsDir);
      expect(() => loadWorkbenchConfig(WORKBENCH_SECTION_NAMES, resolved)).not.toThrow();
    }
  });

  it('commits no secret values: secrets come from the environment without a default', () => {
    const secretName = /PASSWORD|SECRET|TOKEN|PRIVATE|(^|_)KEY$/i;
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries(envOf(s))) {
        if (!secretName.test(key)) continue;
        // `<NAME>_FILE` (Grafana: `__FILE`): read from a compose secret that itself comes from the environment.
        const secretFile = /^\/run\/secrets\/([a-z_]+)$/.exec(value)?.[1];
        if (key.endsWith('_FILE') && secretFile !== undefined) {
          expect([name, key, s.secrets]).toEqual([name, key, expect.arrayContaining([secretFile])]);
          expect(compose.secrets?.[secretFile]).toEqual({ environment: expect.stringMatching(/^[A-Z_]+$/) });
          continue;
        }
        expect([name, key, value]).toEqual([
          name,
          key,
          expect.stringMatching(new RegExp(`^\\$\\{${key}:?\\?[^}]*\\}$`)),
        ]);
      }
      for (const value of Object.values(envOf(s))) {
        // Credentials inside URLs: only RabbitMQ's public local default, on the private network.
        const userinfo = /^[a-z]+:\/\/([^@/]+)@/i.exec(value)?.[1];
        if (userinfo !== undefined) expect([name, userinfo]).toEqual([name, 'guest:guest']);
      }
    }
    // The board's password reaches it as a file; compose refuses to start without BOARD_PASSWORD.
    expect(envOf(service('board')).BOARD_PASSWORD).toBeUndefined();
    expect(envOf(service('board')).BOARD_PASSWORD_FILE).toBe('/run/secrets/board_password');
    expect(composeText).toMatch(/^ {2}board-password: \$\{BOARD_PASSWORD:\?[^}]+\}$/m);
  });

  it('publishes the board on 127.0.0.1:3000 only, with credentials since it binds 0.0.0.0 inside', () => {
    const board = service('board');
    expect((board.ports ?? []).map(published)).toEqual([
      { hostIp: '127.0.0.1', host: '3000', target: '3000' },
    ]);
    const cfg = loadWorkbenchConfig(
      WORKBENCH_SECTION_NAMES,
      serviceEnv('board', { BOARD_PASSWORD: 'x' }, secretsDir),
    );
    expect(cfg.board.port).toBe(3000);
    expect(cfg.board.credentials).toEqual({ user: 'ops', password: 'x' });
    if (!['127.0.0.1', 'localhost', '::1'].includes(cfg.board.host))
      expect(cfg.board.credentials).toBeDefined();
    // Nothing else is reachable from outside this machine either.
    for (const [name, s] of Object.entries(services)) {
      for (const p of (s.ports ?? []).map(published)) expect([name, p.hostIp]).toEqual([name, '127.0.0.1']);
    }
  });

  it('runs the push receiver on 127.0.0.1:9443 with the dev PKI by default, where the simulator pushes', () => {
    const receiver = service('receiver');
    expect((receiver.ports ?? []).map(published)).toEqual([
      { hostIp: '127.0.0.1', host: '9443', target: '9443' },
    ]);
    const env = Object.fromEntries(Object.entries(envOf(receiver)).map(([k, v]) => [k, resolve(v, {})]));
    const cfg = loadWorkbenchConfig(['receiver'], env).receiver;
    expect([cfg.host, cfg.port]).toEqual(['0.0.0.0', 9443]);
    // The TLS files default to the simulator's volume, mounted read-only.
    const certs = (receiver.volumes ?? []).map(String).find((v) => v.startsWith('simulator-certs:'));
    expect(certs).toBe('simulator-certs:/app/certs/dev:ro');
    expect(cfg.tls).toEqual({
      certFile: '/app/certs/dev/server.crt',
      keyFile: '/app/certs/dev/server.key',
      clientCaFile: '/app/certs/dev/ca.crt',
    });
    expect((service('simulator').volumes ?? []).map(String)).toContain('simulator-certs:/app/certs/dev');
    // SIM_DEMO_MODE=push sends the demo to the receiver service, whose dev certificate names it.
    const simEnv = Object.fromEntries(
      Object.entries(envOf(service('simulator'))).map(([k, v]) => [k, resolve(v, {})]),
    );
    const demo = loadWorkbenchConfig(['simulator'], { ...simEnv, SIM_DEMO_MODE: 'push' }).simulator.demo;
    expect(demo.pushUrl).toBe(`https://receiver:${cfg.port}${cfg.path}`);
    const pki = makeDevPki();
    try {
      const san = new X509Certificate(readFileSync(pki.path('server.crt'))).subjectAltName ?? '';
      expect(san.split(', ')).toContain('DNS:receiver');
    } finally {
      pki.remove();
    }
    expect(seconds(receiver.stop_grace_period)).toBeGreaterThanOrEqual(10);
  });

  it('lets the worker scale and gives in-flight work time to finish', () => {
    const worker = service('worker');
    expect(worker.ports).toBeUndefined();
    for (const [name, s] of Object.entries(services))
      expect([name, s.container_name]).toEqual([name, undefined]);
    expect(seconds(worker.stop_grace_period)).toBeGreaterThanOrEqual(30);
    expect(seconds(service('poller').stop_grace_period)).toBeGreaterThanOrEqual(30);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const finalFrom = instructions.findLastIndex((l) => /^FROM\s/i.test(l));
  const finalStage = instructions.slice(finalFrom);

  it('builds in a Node 20 stage and runs on Debian bookworm-slim, both base images ARGs', () => {
    expect(instructions.filter((l) => /^(ARG|FROM)\s/i.test(l)).slice(0, 4)).toEqual([
      'ARG NODE_IMAGE=node:20-bookworm-slim',
      'ARG RUNTIME_IMAGE=debian:bookworm-slim',
      'FROM ${NODE_IMAGE} AS build',
      'FROM ${RUNTIME_IMAGE}',
    ]);
  });

  it('pins pnpm 12.4.2, the same as package.json, installs from the lockfile and builds', () => {
    expect(dockerfile).toContain('npm i -g -E pnpm@12.4.2');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager?: string };
    expect(pkg.packageManager).toBe('pnpm@12.4.2');
    expect(instructions.some((l) => /^RUN .*pnpm install --frozen-lockfile/.test(l))).toBe(true);
    expect(instructions.some((l) => /^RUN pnpm run build/.test(l))).toBe(true);
  });

  it('final stage: node and the build output only, no package manager, checked; runs as a non-root user', () => {
    const copies = finalStage.filter((l) => /^COPY\s/i.test(l));
    expect(copies).toEqual([
      'COPY --from=build /usr/local/bin/node /usr/local/bin/node',
      'COPY --from=build /out/ /app/',
    ]);
    expect(finalStage.filter((l) => /\b(pnpm|npm|npx|yarn|corepack)\b/.test(l))).toEqual([]);
    expect(finalStage.some((l) => l.includes('sh /app/deploy/image-contents-check.sh'))).toBe(true);
    const users = finalStage.filter((l) => /^USER\s/i.test(l));
    expect(users).toEqual(['USER cprh']);
    expect(finalStage.find((l) => /^HEALTHCHECK\s/i.test(l))).toMatch(/readyz-check\.cjs/);
  });

  it('keeps node_modules, git, local secrets and the dev PKI out of the build context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['**/node_modules', '.git', '.env', 'certs/dev']) expect(ignore).toContain(entry);
  });
});
