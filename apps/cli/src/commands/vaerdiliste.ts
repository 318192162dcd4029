import { loadConfig } from '@cprh/config';
import {
  BESKEDFORDELER_SERVICE_SECTIONS,
  vaerdilisteClientFromConfig,
  type VaerdilisteClient,
} from '@cprh/kombit';
import type { Command } from '../command';
import { parseVaerdilisteArgs, USAGE, type VaerdilisteArgs } from '../vaerdiliste/vaerdiliste-args';
import { diffAction, laesAction, listAction, soegAction } from '../vaerdiliste/read-actions';
import * as change from '../vaerdiliste/change-actions';

type Action = (client: VaerdilisteClient, a: VaerdilisteArgs) => Promise<void>;

const ACTIONS: Record<VaerdilisteArgs['sub'], Action> = {
  list: listAction,
  laes: laesAction,
  soeg: soegAction,
  diff: diffAction,
  opret: change.opretAction,
  import: change.importAction,
  ret: change.retAction,
  passiver: change.passiverAction,
  slet: change.sletAction,
  tilfoej: change.tilfoejAction,
  fjern: change.fjernAction,
};

/** The simulator's dev PKI folder; loaded only here, so other runs do not pay for the simulator. */
function devCerts(dir: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sim = require('@cprh/simulator') as typeof import('@cprh/simulator');
  return sim.resolveCertsDir(dir);
}

async function connect(): Promise<VaerdilisteClient> {
  const cfg = loadConfig(BESKEDFORDELER_SERVICE_SECTIONS);
  // Locally, without a configured certificate, the simulator's dev PKI is used.
  const local = cfg.amqp.kombitEnv === 'local' && cfg.clientCert.source === undefined;
  const devCertsDir = local ? devCerts(loadConfig(['simulator']).simulator.certsDir) : undefined;
  return vaerdilisteClientFromConfig(cfg, devCertsDir === undefined ? {} : { devCertsDir });
}

/**
 * `cprh vaerdiliste`: the subscription's value lists on BeskedfordelerService. Every argument and
 * CPR number is checked before the first request (exit 2, nothing sent); a service error exits 1
 * with its code and, for a StandardRetur other than 20, the service's StatusKode and text.
 */
export const vaerdiliste: Command = async (argv) => {
  if (argv[0] === '-h' || argv[0] === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseVaerdilisteArgs(argv);
  const client = await connect();
  try {
    await ACTIONS[args.sub](client, args);
    return 0;
  } finally {
    client.close();
  }
};
