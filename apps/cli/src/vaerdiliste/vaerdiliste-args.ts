import { parseArgs } from 'node:util';
import { UsageError } from '../command';
import { readCprNumbers } from './cpr-input';

export const USAGE = [
  'usage: cprh vaerdiliste <command> [--json]',
  '  list [ID…]                                   value lists: id, name, state, number of values',
  '  laes ID [--values]                           one list (--values: its CPR numbers too)',
  '  soeg [--navn N] [--noegle K] [--id ID] [--first N] [--max N]   ids of matching lists',
  '  opret --navn N [--noegle K] [--note T] [CPR…|--file F]         a new list; prints its id',
  '  import ID --file F [--navn N] [--noegle K] [--chunk N]         make the list hold exactly F',
  '  diff ID --file F [--values]                  what import would add and remove (sends nothing)',
  '  ret ID [--navn N] [--noegle K] [--note T]    rename (the values stay)',
  '  passiver ID [--note T] | slet ID [--note T]',
  '  tilfoej ID CPR…|--file F [--chunk N]         add CPR numbers',
  '  fjern ID CPR…|--file F [--chunk N]           remove CPR numbers',
  'CPR numbers: DDMMYYSSSS or DDMMYY-SSSS; a file has one per line, # starts a comment.',
].join('\n');

type Sub =
  'list' | 'laes' | 'soeg' | 'opret' | 'import' | 'diff' | 'ret' | 'passiver' | 'slet' | 'tilfoej' | 'fjern';

/** Per command: which ids it takes, whether CPR numbers, and which options. */
const SPEC: Record<
  Sub,
  { ids: 'none' | 'one' | 'many'; cpr: 'none' | 'optional' | 'required'; options: string[] }
> = {
  list: { ids: 'many', cpr: 'none', options: [] },
  laes: { ids: 'one', cpr: 'none', options: ['values'] },
  soeg: { ids: 'none', cpr: 'none', options: ['navn', 'noegle', 'id', 'first', 'max'] },
  opret: { ids: 'none', cpr: 'optional', options: ['navn', 'noegle', 'note', 'file', 'chunk'] },
  import: { ids: 'one', cpr: 'required', options: ['file', 'navn', 'noegle', 'note', 'chunk'] },
  diff: { ids: 'one', cpr: 'required', options: ['file', 'values'] },
  ret: { ids: 'one', cpr: 'none', options: ['navn', 'noegle', 'note'] },
  passiver: { ids: 'one', cpr: 'none', options: ['note'] },
  slet: { ids: 'one', cpr: 'none', options: ['note'] },
  tilfoej: { ids: 'one', cpr: 'required', options: ['file', 'chunk'] },
  fjern: { ids: 'one', cpr: 'required', options: ['file', 'chunk'] },
};

const OPTIONS = {
  json: { type: 'boolean' },
  values: { type: 'boolean' },
  file: { type: 'string', short: 'f' },
  navn: { type: 'string' },
  noegle: { type: 'string' },
  note: { type: 'string' },
  id: { type: 'string' },
  first: { type: 'string' },
  max: { type: 'string' },
  chunk: { type: 'string' },
} as const;

export interface VaerdilisteArgs {
  readonly sub: Sub;
  readonly ids: readonly string[];
  /** Checked CPR numbers (ten digits, each once). */
  readonly cpr: readonly string[];
  readonly json: boolean;
  readonly values: boolean;
  readonly navn?: string;
  readonly noegle?: string;
  readonly note?: string;
  readonly soegId?: string;
  readonly first?: number;
  readonly max?: number;
  readonly chunk: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuid(v: string, what = 'ID'): string {
  if (!UUID.test(v)) throw new UsageError(`${what} must be a UUID`);
  return v.toLowerCase();
}

function count(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`--${name} must be a whole number ${min}-${max}`);
  return n;
}

function parse(
  argv: string[],
): ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>> {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n${USAGE}`);
  }
}

/** Parses and checks everything, CPR numbers included, before any request is made. */
export function parseVaerdilisteArgs(argv: string[]): VaerdilisteArgs {
  const { values: o, positionals } = parse(argv);
  const [name, ...rest] = positionals;
  if (name === undefined || !(name in SPEC)) throw new UsageError(USAGE);
  const sub = name as Sub;
  const spec = SPEC[sub];
  for (const key of Object.keys(o)) {
    if (key !== 'json' && !spec.options.includes(key))
      throw new UsageError(`${sub} takes no --${key}\n${USAGE}`);
  }
  const idCount = spec.ids === 'one' ? 1 : spec.ids === 'many' ? rest.length : 0;
  if (spec.ids === 'one' && rest.length === 0) throw new UsageError(`${sub} needs a list ID\n${USAGE}`);
  const ids = rest.slice(0, idCount).map((v) => uuid(v));
  const cprArgs = rest.slice(idCount);
  if (spec.cpr === 'none' && cprArgs.length > 0)
    throw new UsageError(`${sub}: unexpected argument\n${USAGE}`);
  if ((sub === 'import' || sub === 'diff') && o.file === undefined)
    throw new UsageError(`${sub} needs --file\n${USAGE}`);
  if (sub === 'opret' && o.navn === undefined) throw new UsageError(`opret needs --navn\n${USAGE}`);
  if (sub === 'ret' && o.navn === undefined && o.noegle === undefined)
    throw new UsageError(`ret needs --navn or --noegle`);
  const wantsCpr = spec.cpr === 'required' || cprArgs.length > 0 || o.file !== undefined;
  return {
    sub,
    ids,
    cpr: wantsCpr ? readCprNumbers(cprArgs, o.file) : [],
    json: o.json === true,
    values: o.values === true,
    ...(o.navn === undefined ? {} : { navn: o.navn }),
    ...(o.noegle === undefined ? {} : { noegle: o.noegle }),
    ...(o.note === undefined ? {} : { note: o.note }),
    ...(o.id === undefined ? {} : { soegId: uuid(o.id, '--id') }),
    ...(o.first === undefined ? {} : { first: count(o.first, 'first', 0, 1_000_000) }),
    ...(o.max === undefined ? {} : { max: count(o.max, 'max', 1, 100_000) }),
    chunk: count(o.chunk, 'chunk', 1, 20_000) ?? 1000,
  };
}
