/**
 * The event kinds the simulator produces and their ObjektHandling ids: the names and ids of
 * @cprh/besked's DEFAULT_CATALOGUE (see besked-api.md). Kept here as plain data so the simulator
 * does not depend on the parser; a test checks both tables agree.
 */
export const EVENT_KINDS = [
  'foedsel',
  'doedsfald',
  'navneaendring',
  'flytning',
  'civilstandsaendring',
  'udrejse',
  'indrejse',
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const HANDLING_IDS: Readonly<Record<EventKind, string>> = {
  foedsel: '1e5bb089-5445-44f8-9b65-bc854053f423',
  doedsfald: '298aa424-0a16-4a5a-956c-2bdab17fd11f',
  navneaendring: 'urn:cpr-haendelser:sim:handling:navneaendring',
  flytning: 'urn:cpr-haendelser:sim:handling:flytning',
  civilstandsaendring: 'urn:cpr-haendelser:sim:handling:civilstandsaendring',
  udrejse: 'urn:cpr-haendelser:sim:handling:udrejse',
  indrejse: 'urn:cpr-haendelser:sim:handling:indrejse',
};

export function isEventKind(value: string): value is EventKind {
  return (EVENT_KINDS as readonly string[]).includes(value);
}

/** Accepts a kind name or its ObjektHandling id. */
export function eventKindOf(nameOrId: string): EventKind | undefined {
  if (isEventKind(nameOrId)) return nameOrId;
  const lower = nameOrId.toLowerCase();
  return EVENT_KINDS.find((k) => HANDLING_IDS[k].toLowerCase() === lower);
}

/**
 * Yearly events per person in Denmark, rounded (Statistics Denmark orders of magnitude): they
 * set the mix of a "day of deltas" and of the rate mode.
 */
export const YEARLY_RATE_PER_PERSON: Readonly<Record<EventKind, number>> = {
  foedsel: 0.0105,
  doedsfald: 0.0095,
  navneaendring: 0.006,
  flytning: 0.15,
  civilstandsaendring: 0.012,
  udrejse: 0.0095,
  indrejse: 0.011,
};

export const PERSON_OBJEKTTYPE = 'ce7fcf97-a8a2-447a-8690-d38aa0f6e23c';
export const DEFAULT_BESKEDTYPE = '248ce14c-a863-4fb5-9e6f-7df9ea850809';
