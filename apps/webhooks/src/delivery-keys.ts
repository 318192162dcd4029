/**
 * Where one endpoint's delivery state lives, under QUEUE_PREFIX. The endpoint id is a hash tag,
 * so every key of an endpoint is in one Redis Cluster slot and one Lua script may touch them all.
 *
 *   <base>:q:<person slot>  LIST   the person's queued events, `<entry id>|<event id>`, oldest first
 *   <base>:heads            HASH   person slot -> its queue's first item (so a claim needs no queue key)
 *   <base>:ready            ZSET   person slot -> when its first event is due (new: now; retry: later)
 *   <base>:leased           ZSET   person slot -> lease expiry (a process is sending its first event)
 *   <base>:lease            HASH   person slot -> lease token
 *   <base>:tries            HASH   person slot -> attempts so far at its first event (JSON)
 *   <base>:backlog          ZSET   `<entry id>|<event id>` -> stream time (ms): undelivered events
 *   <base>:accepted         ZSET   event id -> intake time: taken from the stream (no double intake)
 *   <base>:dead             HASH   event id -> dead letter (JSON)
 *   <base>:disabled         STRING why and when the endpoint was disabled (JSON); absent = enabled
 *   <base>:intake           STRING token of the process reading the stream for this endpoint
 */
export function endpointBase(queuePrefix: string, endpointId: string): string {
  return `${queuePrefix}:webhooks:{${endpointId}}`;
}

/**
 * Every key of one endpoint by name, for the delivery scripts: each script gets all the keys it
 * touches as KEYS (none built inside a script), so a Redis Cluster can route and check them.
 */
export interface EndpointKeys {
  readonly intake: string;
  readonly accepted: string;
  readonly backlog: string;
  readonly heads: string;
  readonly ready: string;
  readonly leased: string;
  readonly lease: string;
  readonly tries: string;
  readonly dead: string;
  readonly disabled: string;
  /** The LIST of one person's queued events. */
  queue(slot: string): string;
}

export function endpointKeys(queuePrefix: string, endpointId: string): EndpointKeys {
  const base = endpointBase(queuePrefix, endpointId);
  const k = (name: string): string => `${base}:${name}`;
  return {
    intake: k('intake'),
    accepted: k('accepted'),
    backlog: k('backlog'),
    heads: k('heads'),
    ready: k('ready'),
    leased: k('leased'),
    lease: k('lease'),
    tries: k('tries'),
    dead: k('dead'),
    disabled: k('disabled'),
    queue: (slot) => k(`q:${slot}`),
  };
}

/** HASH endpoint id -> what a delivery process last said about it (JSON, no secrets). */
export function endpointRegistryKey(queuePrefix: string): string {
  return `${queuePrefix}:webhooks:endpoints`;
}

/** The consumer group an endpoint reads its stream with. */
export function endpointGroup(endpointId: string): string {
  return `webhooks:${endpointId}`;
}

/** One queued event as stored in the lists. */
export function queueItem(entryId: string, eventId: string): string {
  return `${entryId}|${eventId}`;
}

export function parseQueueItem(item: string): { entryId: string; eventId: string } {
  const bar = item.indexOf('|');
  return { entryId: item.slice(0, bar), eventId: item.slice(bar + 1) };
}

/** The millisecond part of a stream entry id: when the event entered the stream. */
export function entryTimeMs(entryId: string): number {
  const ms = Number(entryId.split('-')[0]);
  return Number.isFinite(ms) ? ms : Date.now();
}
