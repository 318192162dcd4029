import { makeEnvelopes } from './envelopes';
import { runPipeline } from './pipeline-run';
async function main(): Promise<void> {
  const kind = (process.argv[2] ?? 'real') as 'real' | 'noop';
  const r = await runPipeline({
    label: kind,
    envelopes: makeEnvelopes(Number(process.argv[3] ?? 30000), 1),
    workers: 1,
    worker: kind,
    aof: 'everysec',
    stallMs: 60000,
  });
  console.log(JSON.stringify(r));
}
void main();
