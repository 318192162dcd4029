import type { Survey, SurveyRow } from './retention-survey';

/**
 * PARTITIONS > 1: one survey per partition (and one of the unpartitioned prefix, without its empty
 * plain-named streams) as one table: each partition stream its own row, each key family summed
 * (keys, entries, bytes; the oldest of all).
 */
export function mergeSurveys(surveys: readonly Survey[]): Survey {
  const rows: SurveyRow[] = [];
  const families = new Map<string, SurveyRow>();
  for (const s of surveys) {
    for (const r of s.rows) {
      if (r.stream !== undefined) {
        rows.push(r);
        continue;
      }
      const m = families.get(r.id);
      if (!m) {
        families.set(r.id, { ...r });
        continue;
      }
      m.keys += r.keys;
      m.entries += r.entries;
      m.bytes += r.bytes;
      if (r.oldest !== undefined && (m.oldest === undefined || r.oldest < m.oldest)) {
        m.oldest = r.oldest;
        if (r.approx) m.approx = true;
        else delete m.approx;
      }
    }
  }
  return {
    rows: [...rows, ...families.values()],
    completedSampled: surveys.reduce((n, s) => n + s.completedSampled, 0),
    completedWithBytes: surveys.reduce((n, s) => n + s.completedWithBytes, 0),
  };
}
