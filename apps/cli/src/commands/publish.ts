import type { Command } from '../command';

export const publish: Command = async () => {
  process.stderr.write('cprh publish: not implemented yet\n');
  return 1;
};
