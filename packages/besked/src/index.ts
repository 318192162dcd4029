export { parseBesked } from './parse-besked';
export type { ParseOptions } from './parse-options';
export { DEFAULT_MAX_BYTES } from './parse-options';
export { peekBeskedId, peekEnvelopeIds, type EnvelopeIds } from './peek-envelope-ids';
export { toCloudEvent, beskedToCloudEvent, type ToCloudEventOptions } from './to-cloud-event';
export { BeskedError } from './besked-error';
export { BESKED_ERROR_CODES, type BeskedErrorCode } from './error-codes';
export {
  DEFAULT_CATALOGUE,
  createCatalogue,
  parseCatalogueJson,
  type CatalogueEntry,
  type EventCatalogue,
} from './event-catalogue';
export {
  PERSON_OBJEKTTYPE,
  CPR_EVENT_TYPE,
  BESKED_EVENT_TYPE,
  eventSources,
  type CprCloudEvent,
  type CprEventData,
  type RegistreringData,
  type RelateretObjektData,
  type BeskeddataData,
} from './cloud-event';
export { cloudEventJsonSchema } from './cloud-event-schema';
export { toRfc3339 } from './timestamp';
export type * from './besked-model';
export {
  checkCprNumber,
  cprBirthYear,
  CPR_NUMBER_PROBLEMS,
  type CprNumberCheck,
  type CprNumberProblem,
} from './cpr-number';
export {
  parseCprEntries,
  parseCprNumberFile,
  describeCprProblems,
  type CprNumberList,
  type CprListProblem,
} from './cpr-number-list';
export { cprNumbersIn, maskCprNumbers, CPR_MASK } from './cpr-in-text';
export { embeddableHaendelsesbesked, type EmbeddableBesked } from './embeddable-besked';
export {
  STREAM_FIELDS,
  DEFAULT_EVENTS_STREAM,
  streamEntryFields,
  type StreamEntryValues,
} from './stream-entry';
export { checkPushBody, type PushBodyCheck } from './check-push-body';
