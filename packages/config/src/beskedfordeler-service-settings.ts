import { z } from 'zod';
import { defineSection } from './define-section';
import { boolFromEnv, positiveInt, urlWithScheme } from './common-types';
import { KOMBIT_PRESETS, type KombitEnvironment } from './kombit-presets';

const uuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'expected a UUID');

/**
 * BeskedfordelerService (SOAP over mutual TLS with the `clientCert` section's certificate): the
 * value lists (`cprh vaerdiliste`) and flytbeskedtilfejlkoe for dead letters (the worker).
 * The URL's default comes from KOMBIT_ENV (the `amqp` section): see beskedfordelerServiceUrl.
 */
export const beskedfordelerServiceSettings = defineSection({
  env: {
    VAERDILISTE_URL: urlWithScheme('https').optional(),
    VAERDILISTE_TIMEOUT_MS: positiveInt.max(600_000, 'must be <= 600000').default(30_000),
    /** Written as AktoerRef of every change made (your anvendersystem's UUID). */
    VAERDILISTE_AKTOER_UUID: uuid.default('00000000-0000-0000-0000-000000000000'),
    VAERDILISTE_AKTOER_TYPE: z
      .enum([
        'Organisation',
        'OrganisationEnhed',
        'OrganisationFunktion',
        'Bruger',
        'ItSystem',
        'Interessefaellesskab',
      ])
      .default('ItSystem'),
    /** After a pulled message is dead-lettered, ask Beskedfordeler to move it to its error queue. */
    KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE: boolFromEnv.default(false),
    /** Tries of that call before it is recorded as failed on the dead letter. */
    KOMBIT_ERROR_QUEUE_ATTEMPTS: positiveInt.max(100, 'must be <= 100').default(12),
    /** First retry delay of that call, doubled on each retry (ms). */
    KOMBIT_ERROR_QUEUE_BACKOFF_MS: positiveInt.default(30_000),
  },
  build: (e) => ({
    url: e.VAERDILISTE_URL,
    timeoutMs: e.VAERDILISTE_TIMEOUT_MS,
    aktoer: { uuid: e.VAERDILISTE_AKTOER_UUID.toLowerCase(), typeKode: e.VAERDILISTE_AKTOER_TYPE },
    errorQueue: {
      enabled: e.KOMBIT_MOVE_DEAD_TO_ERROR_QUEUE,
      attempts: e.KOMBIT_ERROR_QUEUE_ATTEMPTS,
      backoffMs: e.KOMBIT_ERROR_QUEUE_BACKOFF_MS,
    },
  }),
});

/** VAERDILISTE_URL, else the KOMBIT_ENV preset (local: the simulator on 127.0.0.1:8444). */
export function beskedfordelerServiceUrl(
  amqp: { readonly kombitEnv: KombitEnvironment },
  service: { readonly url: string | undefined },
): string {
  return service.url ?? KOMBIT_PRESETS[amqp.kombitEnv].beskedfordelerSoapUrl;
}
