export { startWebhooks } from './start-webhooks';
export { startWebhooksTenants } from './start-webhooks-tenants';
export { endpointStream } from './endpoint-stream';
export { startWebhooksService } from './webhooks-service';
export { WEBHOOKS_SECTIONS, type WebhooksConfig } from './webhooks-sections';
export { WEBHOOKS_ERROR_CODES, type WebhooksErrorCode } from './error-codes';
export { WebhooksError } from './webhooks-error';
export { cprPersonKey, personKeyOf, personSlot } from './person-key';
export { eraseWebhookState } from './webhook-erasure';
export { signOne, signatureHeader, verifySignature } from './webhook-signature';
export { buildRequest, type WebhookRequest } from './cloud-event-request';
export { EndpointClient, type AttemptResult } from './endpoint-client';
export {
  DeliveryStore,
  ACCEPT_LUA,
  ENQUEUE_LUA,
  CLAIM_LUA,
  COMPLETE_LUA,
  INTAKE_LEASE_LUA,
  INTAKE_RELEASE_LUA,
  REPLAY_DEAD_LUA,
  BACKFILL_HEAD_LUA,
  ERASE_PERSON_LUA,
  type DeadLetter,
  type Disabled,
} from './delivery-store';
export {
  endpointBase,
  endpointKeys,
  endpointRegistryKey,
  endpointGroup,
  type EndpointKeys,
} from './delivery-keys';
export {
  endpointStatuses,
  endpointStatus,
  displayUrl,
  type EndpointStatus,
  type RegisteredEndpoint,
} from './endpoint-status';
export { startListenServer, type ListenServer, type ReceivedWebhook } from './listen-server';
