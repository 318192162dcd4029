export {
  startReceiver,
  startTenantsReceiver,
  NO_TENANT,
  type ReceiverTenant,
  type RunningReceiver,
} from './start-receiver';
export { RECEIVER_SECTIONS, type ReceiverConfig } from './receiver-sections';
export { RECEIVER_ERROR_CODES, type ReceiverErrorCode } from './error-codes';
export { ReceiverError } from './receiver-error';
