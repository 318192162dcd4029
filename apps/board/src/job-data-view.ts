import { withLocalTimes } from '@cprh/pipeline';
import { maskCprNumbers } from '@cprh/besked';
import { displayText } from './display-text';

/**
 * An element's whole text content in the Base64 alphabet (XML whitespace allowed), long enough
 * not to be a word: a Beskeddata payload, which can hold CPR numbers out of sight of a regex.
 */
const BASE64_CONTENT = />\s*([A-Za-z0-9+/][A-Za-z0-9+/\s]*={0,2})\s*</g;
const MIN_BASE64_CHARS = 16;
/** A Base64 payload may itself hold another Base64 payload; deeper than this is not unfolded. */
const MAX_DEPTH = 3;

/** What the board shows of a message: its text, with each Base64 payload decoded beside it. */
export interface MessageView {
  xml: string;
  payloads: string[];
}

/**
 * The message text for display: every Base64 payload is replaced by `[Base64 payload N, below]`
 * and shown decoded in `payloads`; with `mask`, every CPR number in all of it is masked.
 */
export function messageView(text: string, mask: boolean, depth = 0): MessageView {
  const payloads: string[] = [];
  const xml = text.replace(BASE64_CONTENT, (whole, b64: string) => {
    const compact = b64.replace(/\s+/g, '');
    if (depth >= MAX_DEPTH || compact.length < MIN_BASE64_CHARS || compact.length % 4 !== 0) return whole;
    const decoded = displayText(Buffer.from(compact, 'base64'));
    // eslint-disable-next-line no-control-regex -- control characters mean binary, not text
    const binary = /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(decoded);
    const inner = binary
      ? { xml: `(binary, ${Buffer.from(compact, 'base64').length} bytes)`, payloads: [] }
      : messageView(decoded, mask, depth + 1);
    payloads.push(inner.xml, ...inner.payloads);
    return `>[Base64 payload ${payloads.length - inner.payloads.length}, below]<`;
  });
  return { xml: mask ? maskCprNumbers(xml) : xml, payloads };
}

/** Masks every string in a JSON value (ids, reasons, anything a sender may have put there). */
function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskCprNumbers(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)]));
  }
  return value;
}

/**
 * Bull Board's view of an inbox job or dead letter: the exact bytes (`body`, Latin-1: one char per
 * byte) or an older job's `raw` text become `besked` (readable XML plus decoded payloads) and
 * `bytes`; with `mask` every CPR number anywhere in the job data is masked.
 */
export function jobDataView(data: unknown, mask: boolean): unknown {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return mask ? maskDeep(data) : data;
  // Times (receivedAt, firstFailedAt, …) as ISO 8601 in local time with offset, not epoch ms.
  const { body, raw, ...rest } = withLocalTimes(data) as Record<string, unknown>;
  let message: MessageView | undefined;
  let bytes: number | undefined;
  if (typeof body === 'string') {
    const buf = Buffer.from(body, 'latin1');
    bytes = buf.length;
    message = messageView(displayText(buf), mask);
  } else if (typeof raw === 'string') {
    message = messageView(raw, mask);
  }
  const shown = mask ? (maskDeep(rest) as Record<string, unknown>) : rest;
  if (message === undefined) {
    const extra = { ...(body !== undefined ? { body } : {}), ...(raw !== undefined ? { raw } : {}) };
    // maskDeep keeps an object an object; tsc needs the cast (a spread of unknown does not compile).
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- the rule misses that
    return { ...shown, ...(mask ? (maskDeep(extra) as object) : extra) };
  }
  // A dead letter's reason first: it is what an operator opens the job for.
  const { code, message: reason, attempts } = shown;
  const lead = {
    ...(code !== undefined ? { code } : {}),
    ...(reason !== undefined ? { message: reason } : {}),
    ...(attempts !== undefined ? { attempts } : {}),
  };
  return { ...lead, ...shown, ...(bytes !== undefined ? { bytes } : {}), besked: message };
}

/**
 * The title Bull Board shows for a job: a dead letter's `CODE: reason` (masked), else its name,
 * so the list of dead letters reads as a list of reasons.
 */
export function jobTitle(job: { name?: unknown; data?: unknown }, mask: boolean): string {
  const name = typeof job.name === 'string' ? job.name : '';
  const d = job.data as { code?: unknown; message?: unknown } | undefined;
  if (typeof d?.code !== 'string') return name;
  const title = typeof d.message === 'string' ? `${d.code}: ${d.message}` : d.code;
  return mask ? maskCprNumbers(title) : title;
}
