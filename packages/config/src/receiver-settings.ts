import { z } from 'zod';
import { defineSection } from './define-section';
import { boolFromEnv, nonNegativeInt, positiveInt } from './common-types';
import { ConfigError } from './config-error';

/** The WADL's resource (`…/sts/beskedfordeler/` + `ModtagBesked`). */
export const DEFAULT_RECEIVER_PATH = '/sts/beskedfordeler/ModtagBesked';

/** The receiver's endpoint with the default host and port: where the push demo's simulator pushes. */
export const LOCAL_RECEIVER_URL = `https://127.0.0.1:9443${DEFAULT_RECEIVER_PATH}`;

const SHA256_FINGERPRINT = /^(?:[0-9a-f]{2}:?){31}[0-9a-f]{2}$/i;

/** One entry of RECEIVER_ALLOWED_SUBJECTS: a SHA-256 fingerprint (hex, colons optional) or a CN. */
export type AllowedSubject = { kind: 'fingerprint'; sha256: string } | { kind: 'cn'; cn: string };

function allowedSubjects(list: string | undefined): AllowedSubject[] {
  if (list === undefined) return [];
  return list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) =>
      SHA256_FINGERPRINT.test(s)
        ? { kind: 'fingerprint', sha256: s.replace(/:/g, '').toUpperCase() }
        : { kind: 'cn', cn: s },
    );
}

// The push receiver (apps/receiver): Beskedfordeler POSTs ModtagBeskedInput over mutual TLS.
export const receiverSettings = defineSection({
  env: {
    /** `cprh start` runs the receiver (SIM_DEMO_MODE=push implies it there). */
    RECEIVER_ENABLED: boolFromEnv.default(false),
    /** Interface to bind; 0.0.0.0 to take Beskedfordeler's calls from outside this machine. */
    RECEIVER_HOST: z.string().min(1).default('127.0.0.1'),
    /** Port (0 = any free port). */
    RECEIVER_PORT: nonNegativeInt.max(65535, 'must be <= 65535').default(9443),
    /** Path of the endpoint registered with KOMBIT. */
    RECEIVER_PATH: z
      .string()
      .regex(/^\/[^\s?#]*$/, 'must start with / and hold no spaces, ? or #')
      .default(DEFAULT_RECEIVER_PATH),
    /** Server certificate and key (PEM files). */
    RECEIVER_TLS_CERT_FILE: z.string().min(1).optional(),
    RECEIVER_TLS_KEY_FILE: z.string().min(1).optional(),
    /** CA certificate(s) (PEM) that client certificates must chain to: who may call. */
    RECEIVER_CLIENT_CA_FILE: z.string().min(1).optional(),
    /** Optional: comma-separated client certificate subject CNs or SHA-256 fingerprints allowed to call. */
    RECEIVER_ALLOWED_SUBJECTS: z.string().optional(),
    /** Requests being handled at once; beyond it the answer is 503 (Beskedfordeler retries). */
    RECEIVER_MAX_IN_FLIGHT: positiveInt.max(100_000, 'must be <= 100000').default(256),
    /** How long a message may wait for Redis to confirm the inbox write before the answer is 503. */
    RECEIVER_STORE_TIMEOUT_MS: positiveInt.default(5000),
    /** Time to receive a request's headers, and the whole request. */
    RECEIVER_HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
    RECEIVER_REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
    /** How long an idle keep-alive connection stays open. */
    RECEIVER_KEEP_ALIVE_TIMEOUT_MS: positiveInt.default(65_000),
    /** Time from a TCP connection to a finished TLS handshake; slower ones are closed. */
    RECEIVER_HANDSHAKE_TIMEOUT_MS: positiveInt.default(5000),
    /** Open connections at once (handshaking or established); beyond it new ones are closed at once. */
    RECEIVER_MAX_CONNECTIONS: positiveInt.max(1_000_000, 'must be <= 1000000').default(1000),
    /** TLS handshakes in progress at once (each costs a signature); beyond it new connections are closed. */
    RECEIVER_MAX_HANDSHAKES: positiveInt.max(100_000, 'must be <= 100000').default(64),
    /** On SIGTERM, how long requests in flight may take before their connections are closed. */
    RECEIVER_STOP_GRACE_MS: positiveInt.default(10_000),
  },
  build: (e) => {
    const files = {
      RECEIVER_TLS_CERT_FILE: e.RECEIVER_TLS_CERT_FILE,
      RECEIVER_TLS_KEY_FILE: e.RECEIVER_TLS_KEY_FILE,
      RECEIVER_CLIENT_CA_FILE: e.RECEIVER_CLIENT_CA_FILE,
    };
    const given = Object.values(files).filter((v) => v !== undefined).length;
    if (given > 0 && given < 3) {
      const absent = Object.entries(files).find(([, v]) => v === undefined)?.[0] ?? 'RECEIVER_TLS_CERT_FILE';
      throw new ConfigError(
        absent,
        'required when any of RECEIVER_TLS_CERT_FILE, RECEIVER_TLS_KEY_FILE, RECEIVER_CLIENT_CA_FILE is set',
      );
    }
    if (e.RECEIVER_MAX_HANDSHAKES > e.RECEIVER_MAX_CONNECTIONS) {
      throw new ConfigError('RECEIVER_MAX_HANDSHAKES', 'must be <= RECEIVER_MAX_CONNECTIONS');
    }
    if (e.RECEIVER_HEADERS_TIMEOUT_MS > e.RECEIVER_REQUEST_TIMEOUT_MS) {
      throw new ConfigError('RECEIVER_HEADERS_TIMEOUT_MS', 'must be <= RECEIVER_REQUEST_TIMEOUT_MS');
    }
    return {
      enabled: e.RECEIVER_ENABLED,
      host: e.RECEIVER_HOST,
      port: e.RECEIVER_PORT,
      path: e.RECEIVER_PATH,
      /** Undefined when none of the three files is set (`cprh start` may use the dev PKI then). */
      tls:
        e.RECEIVER_TLS_CERT_FILE !== undefined &&
        e.RECEIVER_TLS_KEY_FILE !== undefined &&
        e.RECEIVER_CLIENT_CA_FILE !== undefined
          ? {
              certFile: e.RECEIVER_TLS_CERT_FILE,
              keyFile: e.RECEIVER_TLS_KEY_FILE,
              clientCaFile: e.RECEIVER_CLIENT_CA_FILE,
            }
          : undefined,
      allowedSubjects: allowedSubjects(e.RECEIVER_ALLOWED_SUBJECTS),
      maxInFlight: e.RECEIVER_MAX_IN_FLIGHT,
      storeTimeoutMs: e.RECEIVER_STORE_TIMEOUT_MS,
      headersTimeoutMs: e.RECEIVER_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.RECEIVER_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.RECEIVER_KEEP_ALIVE_TIMEOUT_MS,
      handshakeTimeoutMs: e.RECEIVER_HANDSHAKE_TIMEOUT_MS,
      maxConnections: e.RECEIVER_MAX_CONNECTIONS,
      maxHandshakes: e.RECEIVER_MAX_HANDSHAKES,
      stopGraceMs: e.RECEIVER_STOP_GRACE_MS,
    };
  },
});
