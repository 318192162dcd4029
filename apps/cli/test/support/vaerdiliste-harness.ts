import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadWorkbenchConfig } from '@cprh/simulator';
import { createLogger } from '@cprh/runtime';
import {
  loadCerts,
  SIMULATOR_SECTIONS,
  startSimulator,
  type Simulator,
  type Subscription,
} from '@cprh/simulator';
import { makeDevPki, repoRoot, type DevPki } from '@cprh/testkit';

const BIN = join(repoRoot, 'apps/cli/bin/cprh.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `cprh` bin from the repository root with `env` added to this process's. */
export function runCli(args: string[], env: Record<string, string>, stdin = ''): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(stdin);
  });
}

export interface SimForVaerdilister {
  readonly sim: Simulator;
  readonly pki: DevPki;
  /** Settings for `cprh vaerdiliste` against this simulator with the dev CA's client certificate. */
  readonly cliEnv: Record<string, string>;
  stop(): Promise<void>;
}

/**
 * The simulator (no demo feed, no rate) with its SOAP server on a free port over mutual TLS with
 * a fresh dev PKI; its state under `${prefix}:sim:`.
 */
export async function startSimForVaerdilister(
  env: Record<string, string>,
  subscriptions: Subscription[] = [],
  opts: { soapPort?: number; pki?: DevPki } = {},
): Promise<SimForVaerdilister> {
  const pki = opts.pki ?? makeDevPki();
  const simEnv = { ...env, SIM_REDIS_PREFIX: `${env.QUEUE_PREFIX ?? 'x'}:sim:`, SIM_CERTS_DIR: pki.dir };
  const sim = await startSimulator(loadWorkbenchConfig(SIMULATOR_SECTIONS, simEnv), {
    demo: false,
    rate: 0,
    stsPort: 0,
    soapPort: opts.soapPort ?? 0,
    certs: loadCerts(pki.dir),
    subscriptions,
    logger: createLogger('sim', 'warn'),
  });
  const cliEnv = {
    ...env,
    KOMBIT_ENV: 'local',
    VAERDILISTE_URL: sim.soapUrl ?? '',
    CLIENT_CERT_FILE: pki.files.clientCert,
    CLIENT_KEY_FILE: pki.files.clientKey,
    CA_FILE: pki.files.ca,
  };
  return {
    sim,
    pki,
    cliEnv,
    async stop() {
      await sim.stop();
      pki.remove();
    },
  };
}

/** `n` distinct valid CPR numbers (real dates, any 7th digit fits since days stay <= 28). */
export function cprNumbers(n: number, offset = 0): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    const yy = Math.floor(i / 336) % 100;
    const two = (v: number): string => String(v).padStart(2, '0');
    return `${two(day)}${two(month)}${two(yy)}${String(i % 10_000).padStart(4, '0')}`;
  });
}
