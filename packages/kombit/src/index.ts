export { kombitErrorCodes, type KombitErrorCode } from './error-codes';
export { KombitError } from './kombit-error';
export { DueslagConnection, type DueslagConnectionOptions } from './dueslag-connection';
export { publishToDueslag, type PublishOptions } from './dueslag-publisher';
export { rewriteBeskedId } from './rewrite-besked-id';
export { FunctionCertificate, loadFunctionCertificate, type TlsClientMaterial } from './function-certificate';
