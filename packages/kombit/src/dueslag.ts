// Light entry point `@cprh/kombit/dueslag`: the AMQP side only, so a poller in plain mode does not
// load soap, node-forge or xml-crypto (about 100 MB of RSS) that the package index pulls in.
export { KOMBIT_ERROR_CODES, type KombitErrorCode } from './error-codes';
export { KombitError } from './kombit-error';
export { DueslagConnection, type DueslagConnectionOptions } from './dueslag-connection';
export { type StsLogin, socketOptions, loginError, connectBroker } from './amqp-login';
