import type { Command } from '../command';

export const start: Command = async () => {
  process.stderr.write('cprh start: not implemented yet\n');
  return 1;
};
