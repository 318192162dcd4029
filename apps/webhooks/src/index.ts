export { startWebhooks } from './start-webhooks';
export { startWebhooksService } from './webhooks-service';
export { WEBHOOKS_SECTIONS, type WebhooksConfig } from './webhooks-sections';
export { WEBHOOKS_ERROR_CODES, type WebhooksErrorCode } from './error-codes';
export { WebhooksError } from './webhooks-error';
export { personKeyOf, personSlot } from './person-key';
export { signOne, signatureHeader, verifySignature } from './webhook-signature';
export { buildRequest, type WebhookRequest } from './cloud-event-request';
export { EndpointClient, type AttemptResult } from './endpoint-client';
export { DeliveryStore, type DeadLetter, type Disabled } from './delivery-store';
export { endpointBase, endpointRegistryKey, endpointGroup } from './delivery-keys';
export {
  endpointStatuses,
  endpointStatus,
  displayUrl,
  type EndpointStatus,
  type RegisteredEndpoint,
} from './endpoint-status';
export { startListenServer, type ListenServer, type ReceivedWebhook } from './listen-server';
