import { maskCprNumbers, STREAM_FIELDS, type CprCloudEvent } from '@cprh/besked';

/** One stream entry as XRANGE/XREAD return it. */
export type RawStreamEntry = [id: string, fields: string[]];

/** The value of one field of an entry (the contract's names: STREAM_FIELDS). */
function field(fields: readonly string[], name: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === name) return fields[i + 1];
  return undefined;
}

/**
 * `--json`: the entry's CloudEvent as written (one line of compact JSON), CPR numbers masked
 * everywhere in it (the payload XML holds them too) unless `showCpr`.
 */
export function jsonLine([, fields]: RawStreamEntry, showCpr: boolean): string {
  const event = field(fields, STREAM_FIELDS.event) ?? 'null';
  return showCpr ? event : maskCprNumbers(event);
}

/**
 * The human line: entry id, receive seq, time, the events it carries and the persons (CPR masked
 * unless `showCpr`), the event id. An entry whose event is not JSON is shown by its id alone.
 */
export function textLine([entryId, fields]: RawStreamEntry, showCpr: boolean): string {
  const seq = field(fields, STREAM_FIELDS.seq) ?? '-';
  const id = field(fields, STREAM_FIELDS.id) ?? '-';
  let ev: CprCloudEvent | undefined;
  try {
    ev = JSON.parse(field(fields, STREAM_FIELDS.event) ?? '') as CprCloudEvent;
  } catch {
    ev = undefined;
  }
  const regs = Array.isArray(ev?.data?.registreringer) ? ev.data.registreringer : [];
  const names = [...new Set(regs.map((r) => r.haendelse ?? r.handling ?? '?'))].join(',') || '-';
  const cprs = [...new Set(regs.map((r) => r.cpr).filter((c): c is string => typeof c === 'string'))];
  const persons = cprs.length === 0 ? '-' : cprs.join(',');
  const line = `${entryId}  seq=${seq}  ${ev?.time ?? '-'}  ${names}  cpr=${persons}  ${id}`;
  return showCpr ? line : maskCprNumbers(line);
}
