import { userInfo } from 'node:os';
import pino, { type Logger } from 'pino';

/** One view of unmasked personal data, or one erasure: who, what, which messages. Never a CPR number. */
export interface AuditEntry {
  /** `os:<user>` (a `cprh` command; `sudo` shows as `os:<user> (sudo from <user>)`) or `board:<user>`. */
  who: string;
  /** What was done, e.g. `dlq.show.raw`, `inspect.dead.show-cpr`, `board.view`, `erase`. */
  action: string;
  /** The BeskedIds (or, without one, the job ids) of the messages shown or removed. */
  beskedIds: readonly string[];
  /** Anything else that says what (a path, counts); ids and names only. */
  [detail: string]: unknown;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
}

/**
 * The audit log: one JSON line per unmasked view or erasure, to its own destination
 * (AUDIT_LOG_FILE, appended to and written synchronously so a command that exits at once has
 * written it; unset: stderr), never into the process log. `time` is when.
 */
export function createAuditLog(file: string | undefined): AuditLog {
  const destination = pino.destination({ dest: file ?? 2, sync: true, append: true, mkdir: true });
  const log: Logger = pino({ name: 'cprh-audit', base: { audit: true }, level: 'info' }, destination);
  return {
    record(entry) {
      log.info({ ...entry, beskedIds: [...entry.beskedIds] }, 'audit');
    },
  };
}

/** The OS user running this command, and `sudoUser` (config log.sudoUser) who became it through sudo. */
export function osUser(sudo: string | undefined): string {
  let name: string;
  try {
    name = userInfo().username;
  } catch {
    name = `uid ${process.getuid?.() ?? '?'}`;
  }
  return sudo !== undefined && sudo !== name ? `os:${name} (sudo from ${sudo})` : `os:${name}`;
}
