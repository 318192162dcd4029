import type { VaerdilisteClient, Vaerdiliste } from '@cprh/kombit';
import type { VaerdilisteArgs } from './vaerdiliste-args';
import { diffValues } from './vaerdiliste-diff';
import { listSummary, listsTable, out, outJson } from './vaerdiliste-output';

const LIST_BATCH = 100;

/** `list [ID…]`: the given lists, or every list soeg finds. */
export async function listAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  const ids = a.ids.length > 0 ? a.ids : await client.soeg({});
  const lists: Vaerdiliste[] = [];
  for (let i = 0; i < ids.length; i += LIST_BATCH)
    lists.push(...(await client.list(ids.slice(i, i + LIST_BATCH))));
  if (a.json) outJson(lists.map((l) => listSummary(l)));
  else out(listsTable(lists));
}

export async function laesAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  const list = await client.laes(a.ids[0] ?? '');
  if (a.json) return outJson(listSummary(list, a.values));
  const s = listSummary(list);
  out(
    Object.entries(s)
      .map(
        ([k, v]) =>
          `${k.padEnd(11)}${typeof v === 'string' ? v : v === null || v === undefined ? '-' : JSON.stringify(v)}`,
      )
      .join('\n'),
  );
  // The numbers themselves only on request, to the operator's terminal.
  if (a.values && list.vaerdier.length > 0) out([...list.vaerdier].sort().join('\n'));
}

export async function soegAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  const ids = await client.soeg({
    ...(a.navn === undefined ? {} : { navn: a.navn }),
    ...(a.noegle === undefined ? {} : { brugervendtNoegle: a.noegle }),
    ...(a.soegId === undefined ? {} : { uuid: a.soegId }),
    ...(a.first === undefined ? {} : { foerste: a.first }),
    ...(a.max === undefined ? {} : { maks: a.max }),
  });
  if (a.json) outJson(ids);
  else out(ids.length === 0 ? 'no value lists found' : ids.join('\n'));
}

/** `diff ID --file F`: what `import` would do, without sending anything but the read. */
export async function diffAction(client: VaerdilisteClient, a: VaerdilisteArgs): Promise<void> {
  const list = await client.laes(a.ids[0] ?? '');
  const d = diffValues(list.vaerdier, a.cpr);
  if (a.json) {
    const values = a.values ? { addValues: [...d.add].sort(), removeValues: [...d.remove].sort() } : {};
    return outJson({
      id: list.uuid,
      add: d.add.length,
      remove: d.remove.length,
      unchanged: d.unchanged,
      ...values,
    });
  }
  out(`${list.uuid}: import would add ${d.add.length}, remove ${d.remove.length}, keep ${d.unchanged}`);
  if (a.values && d.add.length + d.remove.length > 0)
    out([...[...d.add].sort().map((v) => `+${v}`), ...[...d.remove].sort().map((v) => `-${v}`)].join('\n'));
}
