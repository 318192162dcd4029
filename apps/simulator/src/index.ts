export {
  startSimulator,
  DEMO_SUBSCRIPTION_ID,
  type Simulator,
  type SimulatorOptions,
  type SimulatorConfig,
} from './simulator';
export type { Subscription, SubscriptionFilter, Delivery } from './subscription';
export type { SimEvent } from './sim-event';
export type { Person, Address } from './person';
export type { DeliveryStats } from './distributor';
export type { ChaosRates } from './chaos';
export { EventGenerator, dayOfDeltas, dailyDeltaCounts, type EventGeneratorOptions } from './event-generator';
export { haendelsesbeskedXml, modtagBeskedInputXml, type DeliveryInfo } from './besked-xml';
export { EVENT_KINDS, HANDLING_IDS, type EventKind } from './event-kinds';
export { SubscriptionRegistry } from './subscription-registry';
export { VaerdilisteStore } from './vaerdiliste-store';
export { loadCerts, makeDevCerts, resolveCertsDir, type CertBundle } from './certificates';
export { STS_ISSUE_PATH } from './sts-server';
export { SOAP_PATH, WSDL_PATH } from './soap-server';
export { SimError } from './sim-error';
export { SIM_ERROR_CODES, type SimErrorCode } from './error-codes';
export { createSimLogger } from './logger';
export { startSimulatorService } from './simulator-service';
