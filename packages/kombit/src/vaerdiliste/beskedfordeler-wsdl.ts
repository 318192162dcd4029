import { join } from 'node:path';

/** KOMBIT's WSDL of BeskedfordelerService, with its XSDs beside it (wsdl/ at the repository root). */
export const BESKEDFORDELER_WSDL = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'wsdl',
  'wsdl',
  'Beskedfordeler.wsdl',
);

/** KOMBIT's path of the service on the Beskedfordeler host. */
export const BESKEDFORDELER_SERVICE_PATH = '/sts-bf-soap/StsbeskedfordelerImpl';

export const SAGDOK_NS = 'urn:oio:sagdok:3.0.0';
