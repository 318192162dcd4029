import { checkPushBody, type BeskedErrorCode } from '@cprh/besked';

/**
 * What the one read of a push body learned, as plain data (it may come from the check thread).
 * Nothing after this reads the body again: the inbox job id is derived from `beskedId`, the person
 * key from `cpr` (inboxIdOf), and a refused body is kept under the hash of its bytes.
 */
export type BodyVerdict =
  | {
      readonly kind: 'ok';
      readonly beskedId: string;
      /** The first CPR number; sensitive: only turned into the person key, never logged. */
      readonly cpr: string | null;
    }
  | {
      readonly kind: 'unreadable' | 'incomplete';
      readonly code: BeskedErrorCode;
      readonly message: string;
      /** SHA-256 of the bytes (hex) when the check thread computed it: a large body's dead-letter id. */
      readonly bodySha256?: string;
    };

/** Reads the body once (checkPushBody). Pure: runs on the event loop or in the check thread. */
export function judgeBody(body: Uint8Array, maxBytes: number): BodyVerdict {
  const check = checkPushBody(body, maxBytes);
  if (check.kind === 'ok') return { kind: 'ok', beskedId: check.beskedId, cpr: check.cpr };
  return { kind: check.kind, code: check.error.code, message: check.error.message };
}
