import { readFileSync } from 'node:fs';
import { describeCprProblems, parseCprEntries, parseCprNumberFile, type CprNumberList } from '@cprh/besked';
import { UsageError } from '../command';

function readText(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
}

/**
 * The CPR numbers of the command line (`args`) or of `--file` (`-` = stdin), all checked before
 * anything is sent. Any invalid entry stops the command (exit 2) with one line per problem:
 * its line or position and why, never the entry itself.
 */
export function readCprNumbers(args: readonly string[], file: string | undefined): string[] {
  if (file !== undefined && args.length > 0) {
    throw new UsageError('give CPR numbers as arguments or with --file, not both');
  }
  const fromFile = file !== undefined;
  const list: CprNumberList = fromFile ? parseCprNumberFile(readText(file)) : parseCprEntries(args);
  if (list.problems.length > 0) {
    const where = fromFile ? `${file} line` : 'CPR argument';
    const n = list.problems.length;
    throw new UsageError(
      [
        ...describeCprProblems(list.problems, where),
        `${n} invalid CPR number${n === 1 ? '' : 's'}: nothing sent`,
      ].join('\n'),
    );
  }
  if (list.numbers.length === 0)
    throw new UsageError(fromFile ? `${file} holds no CPR numbers` : 'no CPR numbers given');
  return [...list.numbers];
}
