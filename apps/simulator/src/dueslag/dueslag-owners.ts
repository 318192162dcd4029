/**
 * Which organisation (CVR) each dueslag belongs to, as KOMBIT's broker knows from the subscriptions:
 * a dueslag of a tenant is open only to tokens of that tenant's CVR. A queue nobody owns stays open
 * to every accepted token (local setups name their own queues).
 */
export class DueslagOwners {
  private readonly owners: ReadonlyMap<string, string>;

  constructor(entries: Iterable<{ readonly dueslag: string; readonly cvr: string }> = []) {
    this.owners = new Map([...entries].map((e) => [e.dueslag.toLowerCase(), e.cvr]));
  }

  get size(): number {
    return this.owners.size;
  }

  /** Why `cvr` may not use `queue` (RabbitMQ's wording), or undefined when it may. */
  refusal(queue: string, cvr: string): string | undefined {
    const owner = this.owners.get(queue.toLowerCase());
    if (owner === undefined || owner === cvr) return undefined;
    return `ACCESS_REFUSED - access to queue '${queue}' in vhost 'BF' refused for CVR ${cvr}`;
  }
}
