import { BeskedError } from '../../src';
import { decodeInput } from '../../src/decode-input';
import { readEnvelope } from '../../src/envelope-reader';
import { scanEnvelope } from '../../src/envelope-scanner';
import { DEFAULT_MAX_BYTES } from '../../src/parse-options';
import { toCloudEvent } from '../../src/to-cloud-event';
import { readXml } from '../../src/xml-reader';

/** What one reader made of an input: the model and CloudEvent as JSON, or the error's code. */
export type Outcome =
  { ok: true; model: string; event: string } | { ok: false; code: string; message: string };

export type Reader = 'scanner' | 'saxes';

/** Bytes -> model -> CloudEvent with the chosen envelope reader (the rest of the path is shared). */
export function outcomeOf(input: Uint8Array | string, reader: Reader): Outcome {
  try {
    const { text, encoding } = decodeInput(input, DEFAULT_MAX_BYTES);
    const root = reader === 'scanner' ? scanEnvelope(text, encoding) : readXml(text, encoding).root;
    const model = readEnvelope(text, root);
    const event = toCloudEvent(model, { source: 'file:differential' });
    return { ok: true, model: JSON.stringify(model), event: JSON.stringify(event) };
  } catch (err) {
    if (err instanceof BeskedError) return { ok: false, code: err.code, message: err.message };
    const e = err as Error;
    return { ok: false, code: `THROWN ${e.name}`, message: e.message };
  }
}

/** Why two outcomes differ, or undefined when they agree (messages may differ in their wording). */
export function difference(scanner: Outcome, saxes: Outcome): string | undefined {
  if (scanner.ok !== saxes.ok) {
    return scanner.ok
      ? `scanner accepts, saxes refuses (${saxes.ok ? '' : `${saxes.code}: ${saxes.message}`})`
      : `scanner refuses (${scanner.code}: ${scanner.message}), saxes accepts`;
  }
  if (scanner.ok && !saxes.ok) return undefined; // unreachable, narrows the types
  if (scanner.ok && saxes.ok) {
    if (scanner.model !== saxes.model) return 'both accept, the models differ';
    if (scanner.event !== saxes.event) return 'both accept, the CloudEvents differ';
    return undefined;
  }
  if (!scanner.ok && !saxes.ok && scanner.code !== saxes.code) {
    return `both refuse, codes differ: scanner ${scanner.code} (${scanner.message}), saxes ${saxes.code} (${saxes.message})`;
  }
  return undefined;
}
