export { kombitErrorCodes, type KombitErrorCode } from './error-codes';
export { KombitError } from './kombit-error';
export { DueslagConnection, type DueslagConnectionOptions } from './dueslag-connection';
export { publishToDueslag, type PublishOptions } from './dueslag-publisher';
export { rewriteBeskedId } from './rewrite-besked-id';
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
