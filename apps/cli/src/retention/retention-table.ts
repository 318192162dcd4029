import { KEY_FAMILIES } from './key-families';
import type { Survey, SurveyRow } from './retention-survey';

/** `cprh retention`'s table: the README's families with what Redis holds now. */
export function retentionTable(survey: Survey, now = Date.now()): string[] {
  const head = ['family', 'keys', 'entries', 'size', 'oldest', 'CPR', 'lifetime (setting)'];
  // Every family of the README, in its order: one row per stream, dashes where nothing is measured
  // (a feature this build does not have; its keys would show under `other keys`).
  const body = KEY_FAMILIES.flatMap((f) => {
    const found = survey.rows.filter((r) => r.id === f.id);
    const rows: (SurveyRow | undefined)[] = found.length > 0 ? found : [undefined];
    return rows.map((r) => [
      r?.stream !== undefined ? `event stream ${r.stream}` : f.name,
      r === undefined ? '—' : String(r.keys),
      r === undefined ? '—' : String(r.entries),
      r === undefined ? '—' : bytes(r.bytes),
      r === undefined ? '—' : oldest(r, now),
      f.cpr,
      (f.setting === '—' ? f.lifetime : `${f.lifetime} (${f.setting})`).replace(/`/g, ''),
    ]);
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
