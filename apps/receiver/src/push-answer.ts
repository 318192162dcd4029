import { PUSH_STATUS, type PushStatusKode } from '@cprh/kombit';

/** What the endpoint answers: HTTP status, the StandardRetur in the body, and connection handling. */
export interface PushAnswer {
  readonly http: number;
  readonly statusKode: PushStatusKode;
  /** FejlbeskedTekst: one line naming the problem, never message content. */
  readonly text?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Close the connection after answering (the request body was not read to its end). */
  readonly close?: boolean;
}

export const answers = {
  stored: (): PushAnswer => ({ http: 200, statusKode: PUSH_STATUS.OK }),
  /** Kept as a dead letter; Beskedfordeler should not send these bytes again. */
  unreadable: (text: string): PushAnswer => ({ http: 200, statusKode: PUSH_STATUS.BAD_INPUT, text }),
  incomplete: (text: string): PushAnswer => ({ http: 400, statusKode: PUSH_STATUS.BAD_INPUT, text }),
  unavailable: (text: string, close = false): PushAnswer => ({
    http: 503,
    statusKode: PUSH_STATUS.UNAVAILABLE,
    text,
    headers: { 'retry-after': '1' },
    close,
  }),
  /** Another path than RECEIVER_PATH; with TENANTS_FILE, a path no tenant has. */
  notFound: (): PushAnswer => ({ http: 404, statusKode: PUSH_STATUS.BAD_INPUT, text: 'no such resource' }),
  /** The path's tenant does not take pushes from this client certificate (its RECEIVER_ALLOWED_SUBJECTS). */
  forbidden: (): PushAnswer => ({
    http: 403,
    statusKode: PUSH_STATUS.BAD_INPUT,
    text: 'this client certificate may not push to this path',
  }),
  methodNotAllowed: (): PushAnswer => ({
    http: 405,
    statusKode: PUSH_STATUS.BAD_INPUT,
    text: 'only POST is allowed',
    headers: { allow: 'POST' },
  }),
  unsupportedType: (): PushAnswer => ({
    http: 415,
    statusKode: PUSH_STATUS.BAD_INPUT,
    text: 'Content-Type must be application/xml',
  }),
  tooLarge: (maxBytes: number): PushAnswer => ({
    http: 413,
    statusKode: PUSH_STATUS.BAD_INPUT,
    text: `body larger than the limit of ${maxBytes} bytes`,
    close: true,
  }),
} as const;
