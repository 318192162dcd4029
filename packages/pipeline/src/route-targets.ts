import type { Config } from '@cprh/config';

type Route = Config['pipeline']['routes'][number];

/** What routing needs to know about an event: its catalogue names and its beskedtype. */
export interface RoutingKeys {
  eventNames: readonly string[];
  beskedtype: string | undefined;
}

/** Extra streams (besides the main one) an event goes to, without repeats, in config order. */
export function routeTargets(routes: readonly Route[], keys: RoutingKeys, mainStream: string): string[] {
  const out: string[] = [];
  const beskedtype = keys.beskedtype?.toLowerCase();
  for (const r of routes) {
    const hit = r.kind === 'event' ? keys.eventNames.includes(r.event) : r.beskedtype === beskedtype;
    if (hit && r.stream !== mainStream && !out.includes(r.stream)) out.push(r.stream);
  }
  return out;
}
