import { z } from 'zod';
import { defineSection } from './define-section';
import { ConfigError } from './config-error';

const file = z.string().min(1);

/** Where the function certificate is: PKCS#12 or PEM certificate + key; CA_FILE adds trusted CAs. */
export type ClientCertSource =
  | { readonly kind: 'p12'; readonly p12File: string; readonly password: string; readonly caFile?: string }
  | {
      readonly kind: 'pem';
      readonly certFile: string;
      readonly keyFile: string;
      readonly keyPassphrase?: string;
      readonly caFile?: string;
    };

/**
 * The organisation's OCES function certificate for mutual TLS towards KOMBIT (STS, broker,
 * BeskedfordelerService, push). `source` is undefined when none is configured.
 */
export const clientCertSettings = defineSection({
  env: {
    CLIENT_CERT_P12_FILE: file.optional(),
    CLIENT_CERT_P12_PASSWORD: z.string().optional(),
    CLIENT_CERT_FILE: file.optional(),
    CLIENT_KEY_FILE: file.optional(),
    CLIENT_KEY_PASSPHRASE: z.string().optional(),
    /** Extra trusted CAs (PEM), added to the system's. */
    CA_FILE: file.optional(),
  },
  secrets: ['CLIENT_CERT_P12_PASSWORD', 'CLIENT_KEY_PASSPHRASE'],
  build: (e): { source: ClientCertSource | undefined; caFile: string | undefined } => {
    const caFile = e.CA_FILE;
    const extra = caFile === undefined ? {} : { caFile };
    if (e.CLIENT_CERT_P12_FILE !== undefined) {
      if (e.CLIENT_CERT_FILE !== undefined) {
        throw new ConfigError(
          'CLIENT_CERT_FILE',
          'set either CLIENT_CERT_P12_FILE or CLIENT_CERT_FILE, not both',
        );
      }
      const source = {
        kind: 'p12',
        p12File: e.CLIENT_CERT_P12_FILE,
        password: e.CLIENT_CERT_P12_PASSWORD ?? '',
        ...extra,
      } as const;
      return { source, caFile };
    }
    if (e.CLIENT_CERT_FILE !== undefined) {
      if (e.CLIENT_KEY_FILE === undefined)
        throw new ConfigError('CLIENT_KEY_FILE', 'required when CLIENT_CERT_FILE is set');
      const pass = e.CLIENT_KEY_PASSPHRASE === undefined ? {} : { keyPassphrase: e.CLIENT_KEY_PASSPHRASE };
      const source = {
        kind: 'pem',
        certFile: e.CLIENT_CERT_FILE,
        keyFile: e.CLIENT_KEY_FILE,
        ...pass,
        ...extra,
      } as const;
      return { source, caFile };
    }
    if (e.CLIENT_KEY_FILE !== undefined)
      throw new ConfigError('CLIENT_CERT_FILE', 'required when CLIENT_KEY_FILE is set');
    return { source: undefined, caFile };
  },
});
