import type { Command } from '../command';

export const dlq: Command = async () => {
  process.stderr.write('cprh dlq: not implemented yet\n');
  return 1;
};
