/**
 * Where KOMBIT's systems are, per environment (hosts from KOMBIT's public docs). `local` is this
 * machine: the plain RabbitMQ and the simulator's STS / BeskedfordelerService.
 * KOMBIT_ENV picks one; every value stays overridable by its own setting.
 */
export const KOMBIT_ENVIRONMENTS = ['local', 'exttest', 'prod'] as const;
export type KombitEnvironment = (typeof KOMBIT_ENVIRONMENTS)[number];

export interface KombitPreset {
  /** Pull (BeskedHent): AMQP 0-9-1, vhost BF. */
  readonly amqpUrl: string;
  readonly amqpAuth: 'plain' | 'sts';
  /** STS REST issue endpoint (mutual TLS). */
  readonly stsUrl: string;
  /** BeskedfordelerService (value lists), SOAP over mutual TLS. */
  readonly beskedfordelerSoapUrl: string;
}

/** Receiving CPR events: the bfo_modtag entity (KOMBIT changed it from `…/service/afhent/1` in 2024). */
export const BFO_MODTAG_ENTITY = 'http://entityid.kombit.dk/service/bfo_modtag/2';

const STS_PATH = '/runtime/api/rest/wstrust/v1/issue';
const SOAP_PATH = '/sts-bf-soap/StsbeskedfordelerImpl';

export const KOMBIT_PRESETS: Readonly<Record<KombitEnvironment, KombitPreset>> = {
  local: {
    amqpUrl: 'amqp://guest:guest@127.0.0.1:5672',
    amqpAuth: 'plain',
    stsUrl: `https://127.0.0.1:8443${STS_PATH}`,
    beskedfordelerSoapUrl: `https://127.0.0.1:8444${SOAP_PATH}`,
  },
  exttest: {
    amqpUrl: 'amqps://beskedfordeler.eksterntest-stoettesystemerne.dk:5671/BF',
    amqpAuth: 'sts',
    stsUrl: `https://n2adgangsstyring.eksterntest.stoettesystemerne.dk${STS_PATH}`,
    beskedfordelerSoapUrl: `https://beskedfordeler.eksterntest-stoettesystemerne.dk${SOAP_PATH}`,
  },
  prod: {
    amqpUrl: 'amqps://beskedfordeler.stoettesystemerne.dk:5671/BF',
    amqpAuth: 'sts',
    stsUrl: `https://n2adgangsstyring.stoettesystemerne.dk${STS_PATH}`,
    beskedfordelerSoapUrl: `https://beskedfordeler.stoettesystemerne.dk${SOAP_PATH}`,
  },
};
