import type { Command } from '../command';

export const sim: Command = async () => {
  process.stderr.write('cprh sim: not implemented yet\n');
  return 1;
};
