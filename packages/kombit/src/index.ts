export { KOMBIT_ERROR_CODES, type KombitErrorCode } from './error-codes';
export { KombitError } from './kombit-error';
export { DueslagConnection, type DueslagConnectionOptions } from './dueslag-connection';
export { amqpUnreachable, START_RABBITMQ_HINT } from './amqp-unreachable';
export { FunctionCertificate, loadFunctionCertificate, type TlsClientMaterial } from './function-certificate';
export { SamlToken, readAssertion, type AssertionFacts } from './saml-token';
export { tokenFromAnswer, lifetimeExpiry } from './sts-answer';
export {
  StsClient,
  issueRequest,
  SAML2_TOKEN_TYPE,
  WSTRUST_ISSUE,
  WSTRUST_PUBLIC_KEY,
  type StsClientOptions,
  type StsObserver,
} from './sts-client';
export {
  VaerdilisteClient,
  DEFAULT_AKTOER,
  type VaerdilisteClientOptions,
  type ClientTls,
} from './vaerdiliste/vaerdiliste-client';
export { ServiceStatusError } from './vaerdiliste/service-status-error';
export { BESKEDFORDELER_WSDL, BESKEDFORDELER_SERVICE_PATH } from './vaerdiliste/beskedfordeler-wsdl';
export type {
  Aktoer,
  AktoerTypeKode,
  SoegKriterier,
  Vaerdiliste,
  VaerdilisteIndhold,
} from './vaerdiliste/vaerdiliste-types';
export {
  vaerdilisteClientFromConfig,
  BESKEDFORDELER_SERVICE_SECTIONS,
} from './vaerdiliste/service-client-from-config';
export { type StsLogin, socketOptions, loginError, connectBroker } from './amqp-login';
export { modtagBeskedOutput, PUSH_STATUS, type PushStatusKode } from './modtag-besked-output';
