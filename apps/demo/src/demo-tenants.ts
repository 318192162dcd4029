import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { devPkiFiles, loadCerts } from '@cprh/simulator';

/** Most municipalities `--tenants` makes (Denmark has 98; a demo needs a few). */
export const MAX_DEMO_TENANTS = 20;

/** One demo municipality of `cprh-demo start --tenants N`. */
export interface DemoTenant {
  readonly id: string;
  readonly name: string;
  readonly cvr: string;
  readonly dueslag: string;
}

/** The demo TENANTS_FILE's name, beside the dev PKI its tenants' certificate entries point at. */
export const DEMO_TENANTS_FILE = 'demo-tenants.json';

const CVR_WEIGHTS = [2, 7, 6, 5, 4, 3, 2, 1];

/** True for an 8-digit number that passes the CVR modulus-11 check. */
export function cvrValid(cvr: string): boolean {
  if (!/^\d{8}$/.test(cvr)) return false;
  const sum = [...cvr].reduce((s, d, i) => s + Number(d) * (CVR_WEIGHTS[i] ?? 0), 0);
  return sum % 11 === 0;
}

/** The n-th synthetic CVR (1-based): 1999nnnX with X the modulus-11 digit, skipping bases with none. */
function demoCvr(n: number): string {
  let found = 0;
  for (let base = 1_999_000; ; base++) {
    const digits = String(base);
    const partial = [...digits].reduce((s, d, i) => s + Number(d) * (CVR_WEIGHTS[i] ?? 0), 0);
    const check = (11 - (partial % 11)) % 11;
    if (check > 9) continue;
    found += 1;
    if (found === n) return `${digits}${check}`;
  }
}

/**
 * Demo tenant i's dueslag: the demo dueslag (SIM_DUESLAG) counted on by i in its last 12 hex digits,
 * so a restarted demo reads the queues it left and a test's own SIM_DUESLAG gives its own queues.
 */
export function demoDueslag(base: string, i: number): string {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-)([0-9a-f]{12})$/i.exec(base);
  if (m === null) throw new RangeError(`the demo dueslag ${base} is not a UUID`);
  const n = (BigInt(`0x${m[2]}`) + BigInt(i)) % 2n ** 48n;
  return `${m[1]?.toLowerCase()}${n.toString(16).padStart(12, '0')}`;
}

/** `count` demo municipalities `demo-1` … with distinct synthetic CVRs and dueslag numbered from `baseDueslag`. */
export function demoTenants(count: number, baseDueslag: string): DemoTenant[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_DEMO_TENANTS) {
    throw new RangeError(`tenants must be 1-${MAX_DEMO_TENANTS}`);
  }
  return Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    return {
      id: `demo-${i}`,
      name: `Demo Kommune ${i}`,
      cvr: demoCvr(i),
      dueslag: demoDueslag(baseDueslag, i),
    };
  });
}

/**
 * The TENANTS_FILE of the demo: every municipality on the dev PKI's function certificate (a
 * supplier's certificate with an agreement per CVR, as the simulator's STS grants), its own CVR and
 * dueslag; QUEUE_PREFIX, routes and the rest from the environment.
 */
export function demoTenantsJson(tenants: readonly DemoTenant[], certsDir: string): string {
  const pki = devPkiFiles(certsDir);
  const file = {
    tenants: tenants.map((t) => ({
      id: t.id,
      name: t.name,
      cvr: t.cvr,
      certificate: { certFile: pki.clientCert, keyFile: pki.clientKey },
      dueslag: t.dueslag,
    })),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Writes the demo TENANTS_FILE into the dev PKI's directory (made first when missing, as the
 * simulator would) and returns its path.
 */
export function writeDemoTenantsFile(tenants: readonly DemoTenant[], certsDir: string): string {
  const pki = devPkiFiles(certsDir);
  loadCerts(pki.dir, { create: true });
  const path = join(pki.dir, DEMO_TENANTS_FILE);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, demoTenantsJson(tenants, pki.dir));
  return path;
}
