/**
 * Where one endpoint's delivery state lives, under QUEUE_PREFIX. The endpoint id is a hash tag,
 * so every key of an endpoint is in one Redis Cluster slot and one Lua script may touch them all.
 *
 *   <base>:q:<person slot>  LIST   the person's queued events, `<entry id>|<event id>`, oldest first
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
