import { KEY_FAMILIES } from './key-families';
import type { Survey, SurveyRow } from './retention-survey';

/** `cprh retention`'s table: the README's families with what Redis holds now. */
export function retentionTable(survey: Survey, now = Date.now()): string[] {
  const head = ['family', 'keys', 'entries', 'size', 'oldest', 'CPR', 'lifetime (setting)'];
  const body = survey.rows.map((r) => {
    const f = KEY_FAMILIES.find((k) => k.id === r.id);
    const name = r.stream !== undefined ? `event stream ${r.stream}` : (f?.name ?? r.id);
    return [
      name,
      String(r.keys),
      String(r.entries),
      bytes(r.bytes),
      oldest(r, now),
      f?.cpr ?? '?',
      `${f?.lifetime ?? ''} (${(f?.setting ?? '').replace(/`/g, '')})`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = [line(head), ...body.map(line)];
  out.push(
    '',
    `completed inbox jobs holding message bytes: ${survey.completedWithBytes} of ${survey.completedSampled} looked at` +
      (survey.completedWithBytes > 0 ? ' (WORKER_KEEP_COMPLETED_BYTES_SECONDS is set on a worker)' : ''),
  );
  return out;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

function oldest(r: SurveyRow, now: number): string {
  if (r.oldest === undefined) return '—';
  const age = Math.max(0, now - r.oldest) / 1000;
  const text =
    age < 120
      ? `${Math.round(age)} s`
      : age < 7200
        ? `${Math.round(age / 60)} min`
        : age < 172800
          ? `${Math.round(age / 3600)} h`
          : `${Math.round(age / 86400)} d`;
  return `${r.approx === true ? '≈' : ''}${text} ago`;
}
