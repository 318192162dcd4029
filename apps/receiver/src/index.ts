export { startReceiver, type RunningReceiver } from './start-receiver';
export { receiverErrorCodes, type ReceiverErrorCode } from './error-codes';
export { ReceiverError } from './receiver-error';
