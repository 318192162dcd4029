import type { Vaerdiliste } from '@cprh/kombit';
import { formatTable } from './format-table';

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function outJson(value: unknown): void {
  out(JSON.stringify(value, null, 2));
}

/** What is shown of a list: its CPR numbers only when asked for (`withValues`). */
export function listSummary(list: Vaerdiliste, withValues = false): Record<string, unknown> {
  return {
    id: list.uuid ?? null,
    navn: list.navn,
    noegle: list.brugervendtNoegle ?? null,
    livscyklus: list.livscyklus ?? null,
    fra: list.fra ?? null,
    antal: list.vaerdier.length,
    ...(withValues ? { vaerdier: [...list.vaerdier].sort() } : {}),
  };
}

export function listsTable(lists: readonly Vaerdiliste[]): string {
  if (lists.length === 0) return 'no value lists';
  return formatTable(
    ['ID', 'NAVN', 'LIVSCYKLUS', 'VÆRDIER'],
    lists.map((l) => [l.uuid ?? '?', l.navn, l.livscyklus ?? '', String(l.vaerdier.length)]),
  );
}
