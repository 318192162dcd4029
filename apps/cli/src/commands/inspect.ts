import type { Command } from '../command';

export const inspect: Command = async () => {
  process.stderr.write('cprh inspect: not implemented yet\n');
  return 1;
};
