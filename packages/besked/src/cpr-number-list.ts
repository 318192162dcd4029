import { checkCprNumber, CPR_NUMBER_PROBLEMS, type CprNumberProblem } from './cpr-number';

/** One refused entry: where it was (1-based) and why. The entry itself is not repeated. */
export interface CprListProblem {
  readonly line: number;
  readonly problem: CprNumberProblem;
}

export interface CprNumberList {
  /** Valid numbers as ten digits, each once, in the order first seen. */
  readonly numbers: readonly string[];
  readonly problems: readonly CprListProblem[];
  /** Valid entries that repeated an earlier one. */
  readonly duplicates: number;
}

/**
 * Checks entries that are each one CPR number or blank; `#` starts a comment to the end of the
 * entry. Used for lines of a file and for command-line arguments alike (`line` = their position).
 */
export function parseCprEntries(entries: Iterable<string>): CprNumberList {
  const seen = new Set<string>();
  const problems: CprListProblem[] = [];
  let duplicates = 0;
  let line = 0;
  for (const entry of entries) {
    line += 1;
    const hash = entry.indexOf('#');
    const text = (hash >= 0 ? entry.slice(0, hash) : entry).trim();
    if (text === '') continue;
    const check = checkCprNumber(text);
    if (!check.ok) problems.push({ line, problem: check.problem });
    else if (seen.has(check.cpr)) duplicates += 1;
    else seen.add(check.cpr);
  }
  return { numbers: [...seen], problems, duplicates };
}

/** A file's text, one number per line (a leading byte-order mark and CRLF endings are fine). */
export function parseCprNumberFile(text: string): CprNumberList {
  return parseCprEntries(text.replace(/^\uFEFF/, '').split(/\r?\n/));
}

/**
 * One line per problem for the user ("line 7: …"), at most `max` of them and then a count, so a
 * wrong file does not flood the terminal. Never contains the refused text.
 */
export function describeCprProblems(problems: readonly CprListProblem[], where = 'line', max = 20): string[] {
  const out = problems.slice(0, max).map((p) => `${where} ${p.line}: ${CPR_NUMBER_PROBLEMS[p.problem]}`);
  if (problems.length > max) out.push(`… and ${problems.length - max} more`);
  return out;
}
