// Start-to-ready time and RSS of each process, compiled (node dist/main.js, after `pnpm run build`)
// against tsx (node --require tsx/cjs src/main.ts) and, with MEASURE_NO_MAPS=1, the bundle without
// --enable-source-maps, on this machine's Redis and RabbitMQ with names
// of its own (removed afterwards). The figures in README "Docker Compose" come from:
//   pnpm run build && node deploy/measure-start.mjs [ROUNDS]
// Needs redis-cli, rabbitmqctl and openssl on the PATH.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const rounds = Number(process.argv[2] ?? 3);
const apps = ['worker', 'poller', 'board', 'receiver', 'simulator'];
const run = randomUUID().slice(0, 8);
const prefix = `t-measure-${run}`;
const dueslag = randomUUID();
const certs = mkdtempSync(join(tmpdir(), 'cprh-measure-certs-'));
execFileSync('bash', [join(root, 'certs', 'make-dev-certs.sh'), certs], { stdio: 'ignore' });

const env = {
  ...process.env,
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  QUEUE_PREFIX: prefix,
  EVENTS_STREAM: `${prefix}:events`,
  DUESLAG_QUEUE: dueslag,
  SIM_DUESLAG: dueslag,
  SIM_RATE: '0',
  SIM_REDIS_PREFIX: `${prefix}:sim:`,
  SIM_CERTS_DIR: certs,
  SIM_STS_PORT: '0',
  SIM_SOAP_PORT: '0',
  KOMBIT_ENV: 'local',
  BOARD_PORT: '0',
  RECEIVER_PORT: '0',
  RECEIVER_TLS_CERT_FILE: join(certs, 'server.crt'),
  RECEIVER_TLS_KEY_FILE: join(certs, 'server.key'),
  RECEIVER_CLIENT_CA_FILE: join(certs, 'ca.crt'),
  METRICS_PORT: '0',
  METRICS_HOST: '127.0.0.1',
};

const rssMb = (pid) => {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Math.round(Number(m?.[1] ?? 0) / 1024);
};

/** Starts one process, waits for "<app> ready", takes RSS 3 s later (settled), stops it. */
function measure(app, mode) {
  const args =
    mode === 'tsx'
      ? ['--require', 'tsx/cjs', join(root, 'apps', app, 'src', 'main.ts')]
      : [
          ...(mode === 'compiled' ? ['--enable-source-maps'] : []),
          join(root, 'apps', app, 'dist', 'main.js'),
        ];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, {
      cwd: join(root, 'apps', app),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} (${mode}) not ready in 60 s: ${err.slice(-300)}`));
    }, 60_000);
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (!out.includes(`"msg":"${app} ready"`) || child.readyAt) return;
      child.readyAt = Number(process.hrtime.bigint() - t0) / 1e6;
      setTimeout(() => {
        const rss = rssMb(child.pid);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve({ ms: Math.round(child.readyAt), rss });
        });
        child.kill('SIGTERM');
      }, 3000);
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const other = process.env.MEASURE_NO_MAPS === '1' ? 'without source maps' : 'tsx';
  console.log(
    `| process | compiled: ready ms / RSS MB | ${other}: ready ms / RSS MB |  (median of ${rounds})`,
  );
  for (const app of apps) {
    const r = { compiled: [], tsx: [] };
    const modes = process.env.MEASURE_NO_MAPS === '1' ? ['compiled', 'no-maps'] : ['compiled', 'tsx'];
    for (let i = 0; i < rounds; i++) {
      for (const mode of modes) (r[mode] ??= []).push(await measure(app, mode));
    }
    const f = (m) => `${median(r[m].map((x) => x.ms))} / ${median(r[m].map((x) => x.rss))}`;
    console.log(`| ${app} | ${modes.map(f).join(' | ')} |`);
  }
} finally {
  rmSync(certs, { recursive: true, force: true });
  const keys = execFileSync('redis-cli', ['--scan', '--pattern', `${prefix}*`], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  if (keys.length > 0) execFileSync('redis-cli', ['del', ...keys], { stdio: 'ignore' });
  for (const vhost of ['/', 'BF']) {
    try {
      execFileSync('rabbitmqctl', ['-q', 'delete_queue', '-p', vhost, dueslag], { stdio: 'ignore' });
    } catch {
      // not there
    }
  }
}
