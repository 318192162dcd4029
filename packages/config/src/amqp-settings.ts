import { z } from 'zod';
import { defineSection } from './define-section';
import { positiveInt, urlWithScheme } from './common-types';
import { ConfigError } from './config-error';
import { BFO_MODTAG_ENTITY, KOMBIT_ENVIRONMENTS, KOMBIT_PRESETS } from './kombit-presets';

const cvr = z.string().regex(/^\d{8}$/, 'expected an 8-digit CVR number');

/**
 * The way in to the dueslag: which KOMBIT environment (presets), the broker URL and how to log in
 * (`plain`: user and password in the URL; `sts`: TLS client certificate + SASL EXTERNAL with an STS
 * token), and the STS that issues the token. The certificate itself is the `clientCert` section.
 */
export const amqpSettings = defineSection({
  env: {
    KOMBIT_ENV: z.enum(KOMBIT_ENVIRONMENTS).optional(),
    AMQP_URL: urlWithScheme('amqp', 'amqps').optional(),
    AMQP_AUTH: z.enum(['plain', 'sts']).optional(),
    STS_URL: urlWithScheme('https').optional(),
    /** The organisation the token is issued for (AnvenderKontekst.Cvr). */
    STS_CVR: cvr.optional(),
    STS_APPLIES_TO: z.string().min(1).default(BFO_MODTAG_ENTITY),
    /** A cached token is renewed this long before it expires. */
    STS_REFRESH_MARGIN_SECONDS: positiveInt.max(3600, 'must be <= 3600').default(30),
  },
  // The URL may carry user and password (amqp://user:password@host:5672).
  secrets: ['AMQP_URL'],
  build: (e) => {
    const kombitEnv = e.KOMBIT_ENV ?? 'local';
    const preset = KOMBIT_PRESETS[kombitEnv];
    const url = e.AMQP_URL ?? preset.amqpUrl;
    const auth = e.AMQP_AUTH ?? preset.amqpAuth;
    if (auth === 'sts') {
      if (!url.startsWith('amqps:')) throw new ConfigError('AMQP_URL', 'AMQP_AUTH=sts needs an amqps:// URL');
      if (e.STS_CVR === undefined) throw new ConfigError('STS_CVR', 'required when AMQP_AUTH=sts');
    }
    return {
      kombitEnv,
      /** Neither KOMBIT_ENV nor AMQP_AUTH was set: `cprh start` may route the demo through the simulator's STS front. */
      authChosen: e.KOMBIT_ENV !== undefined || e.AMQP_AUTH !== undefined,
      url,
      auth,
      sts: {
        url: e.STS_URL ?? preset.stsUrl,
        cvr: e.STS_CVR,
        appliesTo: e.STS_APPLIES_TO,
        refreshMarginSeconds: e.STS_REFRESH_MARGIN_SECONDS,
      },
    };
  },
});
