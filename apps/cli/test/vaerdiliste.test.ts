import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { VaerdilisteStore } from '@cprh/simulator';
import {
  appMain,
  makeDevPki,
  pipelineTestEnv,
  runMain,
  TEST_REDIS_URL,
  type PipelineTestEnv,
  CPR_SHAPED,
} from '@cprh/testkit';
import { cprNumbers, runCli } from '@cprh/testkit';
import { startSimForVaerdilister, type SimForVaerdilister } from '@cprh/simulator/sim-for-vaerdilister';

// `cprh vaerdiliste` (the real bin) against the simulator's BeskedfordelerService over mutual TLS.
describe('cprh vaerdiliste', () => {
  let t: PipelineTestEnv;
  let s: SimForVaerdilister;
  let redis: Redis;
  let store: VaerdilisteStore;
  const tmp = mkdtempSync(join(tmpdir(), 'cprh-vl-'));
  const file = (name: string, lines: string[]): string => {
    const p = join(tmp, name);
    writeFileSync(p, lines.join('\n') + '\n');
    return p;
  };
  const cli = (...args: string[]) => runCli(['vaerdiliste', ...args], s.cliEnv);
  const valuesOf = async (id: string): Promise<string[]> => (await store.read(id))?.vaerdier.slice() ?? [];

  beforeAll(async () => {
    t = pipelineTestEnv();
    s = await startSimForVaerdilister(t.env);
    redis = new Redis(TEST_REDIS_URL);
    store = new VaerdilisteStore(redis, `${t.prefix}:sim:`);
  });
  afterAll(async () => {
    await s.stop();
    await t.cleanup();
    redis.disconnect();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('opret, tilfoej, fjern, laes, list, soeg, ret, passiver, slet', async () => {
    const opret = await cli(
      'opret',
      '--navn',
      'borgere',
      '--noegle',
      'b1',
      '--file',
      file('start.txt', ['# start', '010190-1234', '0202802345']),
    );
    expect(opret).toMatchObject({ code: 0, stderr: '' });
    const id = opret.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await valuesOf(id)).toEqual(['0101901234', '0202802345']);

    expect((await cli('tilfoej', id, '0303703456', '040460-4567')).code).toBe(0);
    expect((await cli('fjern', id, '0101901234')).code).toBe(0);
    expect(await valuesOf(id)).toEqual(['0202802345', '0303703456', '0404604567']);

    const laes = await cli('laes', id);
    expect(laes.code).toBe(0);
    expect(laes.stdout).toMatch(/navn\s+borgere/);
    expect(laes.stdout).toMatch(/antal\s+3/);
    expect(laes.stdout).not.toMatch(CPR_SHAPED); // the numbers only with --values
    const values = JSON.parse((await cli('laes', id, '--values', '--json')).stdout) as { vaerdier: string[] };
    expect(values.vaerdier).toEqual(['0202802345', '0303703456', '0404604567']);

    const other = (await cli('opret', '--navn', 'andre')).stdout.trim();
    const list = await cli('list');
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')[0]).toMatch(/^ID\s+NAVN\s+LIVSCYKLUS\s+VÆRDIER$/);
    expect(list.stdout).toMatch(new RegExp(`${id}\\s+borgere\\s+Opstaaet\\s+3`));
    const listed = JSON.parse((await cli('list', id, other, '--json')).stdout) as {
      id: string;
      antal: number;
    }[];
    expect(listed.map((l) => [l.id, l.antal])).toEqual([
      [id, 3],
      [other, 0],
    ]);
    expect((await cli('soeg', '--navn', 'andre')).stdout.trim()).toBe(other);
    expect(JSON.parse((await cli('soeg', '--json')).stdout)).toEqual([id, other].sort());

    expect((await cli('ret', other, '--navn', 'andre2')).code).toBe(0);
    expect((await store.read(other))?.navn).toBe('andre2');
    expect((await cli('ret', id, '--navn', 'borgere2')).code).toBe(0);
    expect(await valuesOf(id)).toHaveLength(3); // ret keeps the values
    expect((await cli('passiver', other)).code).toBe(0);
    expect((await store.read(other))?.livscyklus).toBe('Passiveret');
    expect((await cli('slet', other, '--note', 'væk')).code).toBe(0);
    expect(await store.read(other)).toBeUndefined();
    const gone = await cli('laes', other);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe(
      'cprh vaerdiliste: KOMBIT_SERVICE_STATUS: laesvaerdiliste: StatusKode 44: værdilisten findes ikke\n',
    );
  });

  it('diff and import make a list hold exactly a file; a new list is imported under its id', async () => {
    const id = (await cli('opret', '--navn', 'diff', '0101901234', '0202802345', '0303703456')).stdout.trim();
    const f = file('wanted.txt', ['0202802345', '0303703456', '0404604567', '0505505678']);
    const diff = JSON.parse((await cli('diff', id, '--file', f, '--json')).stdout) as Record<string, number>;
    expect(diff).toEqual({ id, add: 2, remove: 1, unchanged: 2 });
    expect(await valuesOf(id)).toHaveLength(3); // diff sends nothing
    const shown = await cli('diff', id, '--file', f, '--values');
    expect(shown.stdout.trim().split('\n').slice(1)).toEqual(['+0404604567', '+0505505678', '-0101901234']);

    const imp = await cli('import', id, '--file', f, '--json');
    expect(JSON.parse(imp.stdout)).toMatchObject({ id, created: false, added: 2, removed: 1, total: 4 });
    expect(await valuesOf(id)).toEqual(['0202802345', '0303703456', '0404604567', '0505505678']);

    const fresh = randomUUID();
    const refused = await cli('import', fresh, '--file', f);
    expect(refused).toMatchObject({
      code: 2,
      stderr: `cprh vaerdiliste: list ${fresh} does not exist; give --navn to create it\n`,
    });
    expect((await cli('import', fresh, '--file', f, '--navn', 'ny', '--chunk', '3')).code).toBe(0);
    expect((await store.read(fresh))?.livscyklus).toBe('Importeret');
    expect(await valuesOf(fresh)).toHaveLength(4);
  });

  it('imports a 50,000-number file in chunks with progress on stderr', async () => {
    const id = (await cli('opret', '--navn', 'stor')).stdout.trim();
    const numbers = cprNumbers(50_000);
    const f = file(
      '50k.txt',
      numbers.map((n, i) => (i % 2 === 0 ? `${n.slice(0, 6)}-${n.slice(6)}` : n)),
    );
    const r = await cli('import', id, '--file', f);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${id}: added 50000, removed 0, now 50000 \\(\\d+\\.\\d s\\)\\n$`));
    const progress = r.stderr.trim().split('\n');
    expect(progress).toHaveLength(50);
    expect(progress.at(-1)).toBe('tilfoej: 50000/50000 (100%)');
    expect(r.stderr).not.toMatch(CPR_SHAPED);
    expect(await redis.scard(`${t.prefix}:sim:vl:${id}:v`)).toBe(50_000);
    expect((await store.read(id))?.vaerdier).toEqual([...numbers].sort());
  }, 120_000);

  it('refuses bad input lines before any request: line numbers and reasons, never the text (exit 2)', async () => {
    // A listener that only counts: any request would have to connect to it first.
    let connections = 0;
    const counter: Server = createServer((sock) => {
      connections += 1;
      sock.destroy();
    });
    await new Promise<void>((r) => counter.listen(0, '127.0.0.1', () => r()));
    const url = `https://127.0.0.1:${(counter.address() as AddressInfo).port}/sts-bf-soap/StsbeskedfordelerImpl`;
    const env = { ...s.cliEnv, VAERDILISTE_URL: url };
    try {
      const f = file('bad.txt', [
        '# godt og skidt',
        '0101901234',
        '3213901234',
        '',
        '01019O1234',
        '0202802345 # ok',
        '12345',
      ]);
      const r = await runCli(['vaerdiliste', 'tilfoej', randomUUID(), '--file', f], env);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toEqual([
        `cprh vaerdiliste: ${f} line 3: the first six digits are not a real date (DDMMYY, century from the 7th digit)`,
        `${f} line 5: not a CPR number (ten digits, DDMMYYSSSS or DDMMYY-SSSS)`,
        `${f} line 7: not a CPR number (ten digits, DDMMYYSSSS or DDMMYY-SSSS)`,
        '3 invalid CPR numbers: nothing sent',
      ]);
      expect(r.stderr).not.toMatch(/3213901234|01019O1234|12345\b/);
      const args = await runCli(['vaerdiliste', 'opret', '--navn', 'x', '0101901234', '2902001234'], env);
      expect(args).toMatchObject({ code: 2, stdout: '' });
      expect(args.stderr).toContain('CPR argument 2: the first six digits are not a real date');
      expect(args.stderr).not.toContain('2902001234');
      for (const bad of [
        ['laes', 'not-a-uuid'],
        ['tilfoej', randomUUID()],
        ['import', randomUUID()],
        ['nope'],
      ]) {
        expect((await runCli(['vaerdiliste', ...bad], env)).code).toBe(2);
      }
      expect(connections).toBe(0);
      // The same listener does count a call that gets past the checks (so the count can fail).
      expect((await runCli(['vaerdiliste', 'laes', randomUUID()], env)).code).toBe(1);
      expect(connections).toBe(1);
    } finally {
      counter.close();
    }
  });

  it('shows a StatusKode 40 answer as its text (exit 1)', async () => {
    const r = await cli('opret', '--navn', '');
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toBe(
      'cprh vaerdiliste: KOMBIT_SERVICE_STATUS: opretvaerdiliste: StatusKode 40: Vaerdiliste/Navn mangler\n',
    );
  });

  it('locally, without a configured certificate: cprh refuses, cprh-demo uses the simulator dev certificate', async () => {
    const certSettings = ['CLIENT_CERT_FILE', 'CLIENT_KEY_FILE', 'CA_FILE'];
    const rest = Object.fromEntries(Object.entries(s.cliEnv).filter(([k]) => !certSettings.includes(k)));
    const env = { ...rest, SIM_CERTS_DIR: s.pki.dir };
    // The operator's command knows no dev PKI: it needs CLIENT_CERT_* like any deployment.
    const refused = await runCli(['vaerdiliste', 'soeg', '--navn', 'nobody by this name'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    const r = await runMain(appMain('demo'), env, ['vaerdiliste', 'soeg', '--navn', 'nobody by this name']);
    expect({ code: r.code, stdout: r.stdout.toString('utf8') }).toEqual({
      code: 0,
      stdout: 'no value lists found\n',
    });
    const help = await runCli(['vaerdiliste', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: cprh vaerdiliste/);
  });

  it('a client certificate from another CA is refused', async () => {
    const other = makeDevPki();
    try {
      const env = {
        ...s.cliEnv,
        CLIENT_CERT_FILE: other.path('client.crt'),
        CLIENT_KEY_FILE: other.path('client.key'),
      };
      const r = await runCli(['vaerdiliste', 'list'], env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /^cprh vaerdiliste: KOMBIT_SOAP_TLS_FAILED: soegvaerdiliste at https:\/\/127\.0\.0\.1:\d+\/sts-bf-soap\/StsbeskedfordelerImpl: /,
      );
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    } finally {
      other.remove();
    }
  });
});
