import type { EventKind } from './event-kinds';
import type { Person } from './person';

/** One simulated CPR event: who, what, when, and the ids its Haendelsesbesked carries. */
export interface SimEvent {
  /** Position in the generator's sequence (0-based). */
  readonly seq: number;
  readonly kind: EventKind;
  /** The person after the event. */
  readonly person: Person;
  /** Municipalities concerned: the current one first, then the one left (moves, emigration). */
  readonly kommunekoder: readonly string[];
  readonly tidspunkt: Date;
  readonly beskedtype: string;
  readonly beskedId: string;
  readonly transaktionsId: string;
  readonly registreringId: string;
  /** The tenant (CVR) whose population the event is from, when the simulator serves several. */
  readonly cvr?: string;
}
