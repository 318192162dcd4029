export {
  startSimulator,
  DEMO_SUBSCRIPTION_ID,
  type EmitOptions,
  type Simulator,
  type SimulatorOptions,
  type SimulatorConfig,
} from './simulator';
export { tenantDemoSubscriptionId, tenantSeed, type SimTenant } from './tenants/sim-tenant';
export type { Subscription, SubscriptionFilter, Delivery } from './subscriptions/subscription';
export type { SimEvent } from './population/sim-event';
export type { Person, Address } from './population/person';
export type { DeliveryStats } from './subscriptions/distributor';
export type { ChaosRates } from './chaos/chaos';
export {
  EventGenerator,
  dayOfDeltas,
  dailyDeltaCounts,
  type EventGeneratorOptions,
} from './population/event-generator';
export { haendelsesbeskedXml, modtagBeskedInputXml, type DeliveryInfo } from './besked/besked-xml';
export { EVENT_KINDS, HANDLING_IDS, type EventKind } from './population/event-kinds';
export { SubscriptionRegistry } from './subscriptions/subscription-registry';
export { VaerdilisteStore } from './vaerdiliste/vaerdiliste-store';
export { devPkiFiles, loadCerts, makeDevCerts, resolveCertsDir, type CertBundle } from './certificates';
export { STS_ISSUE_PATH } from './sts/sts-server';
export { SOAP_PATH, WSDL_PATH } from './vaerdiliste/soap-server';
export { SimError } from './sim-error';
export { ensureBfVhost, BF_VHOST } from './dueslag/bf-vhost';
export { SIM_ERROR_CODES, type SimErrorCode } from './error-codes';
export { createSimLogger } from './logger';
export { startSimulatorService } from './simulator-service';
export { SIMULATOR_SECTIONS } from './simulator-sections';
export { simulatorSettings } from './simulator-settings';
export {
  loadWorkbenchConfig,
  workbenchSettingNames,
  WORKBENCH_SECTION_NAMES,
  type WorkbenchConfig,
  type WorkbenchConfigOf,
  type WorkbenchSectionName,
} from './workbench-config';
export { MAX_SEED } from './run/run-seed';
export { publishToDueslag, type PublishOptions } from './dueslag/publish-to-dueslag';
export { rewriteBeskedId } from './besked/rewrite-besked-id';
