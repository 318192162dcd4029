import {
  BESKEDFORDELER_SERVICE_SECTIONS,
  vaerdilisteClientFromConfig,
  type VaerdilisteClient,
} from '@cprh/kombit';
import type { Command } from '../command';
import { tenantConfig } from '../tenant-scope';
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

/** The client on the configured service with the configured function certificate. */
async function connect(): Promise<VaerdilisteClient> {
  return vaerdilisteClientFromConfig(tenantConfig(BESKEDFORDELER_SERVICE_SECTIONS));
}

/**
 * `cprh vaerdiliste`: the subscription's value lists on BeskedfordelerService. Every argument and
 * CPR number is checked before the first request (exit 2, nothing sent); a service error exits 1
 * with its code and, for a StandardRetur other than 20, the service's StatusKode and text.
 */
export const vaerdiliste: Command = (argv) => runVaerdiliste(argv, connect);

/** `cprh vaerdiliste` on a client of the caller's making (the demo's: the simulator's dev certificate). */
export async function runVaerdiliste(
  argv: string[],
  connectTo: () => Promise<VaerdilisteClient>,
): Promise<number> {
  if (argv[0] === '-h' || argv[0] === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const args = parseVaerdilisteArgs(argv);
  const client = await connectTo();
  try {
    await ACTIONS[args.sub](client, args);
    return 0;
  } finally {
    client.close();
  }
}
