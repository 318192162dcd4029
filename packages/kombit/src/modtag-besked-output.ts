import { maskCprNumbers } from '@cprh/besked';

/**
 * StatusKode values of the push answer's StandardRetur (sagdok convention): 20 received,
 * 40 the request was wrong (Beskedfordeler should not send it again as it is), 50 a fault on our
 * side that a retry can fix (HTTP 503).
 */
export const PUSH_STATUS = Object.freeze({ OK: 20, BAD_INPUT: 40, UNAVAILABLE: 50 });
export type PushStatusKode = (typeof PUSH_STATUS)[keyof typeof PUSH_STATUS];

const NS_STS = 'urn:oio:sts:1.0.0';
const NS_SAGDOK = 'urn:oio:sagdok:3.0.0';

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The body of every answer of the push endpoint: `ModtagBeskedOutput` in `urn:oio:sts:1.0.0`
 * (not `…OutputType`, a mistake peers made) holding `StandardRetur` in `urn:oio:sagdok:3.0.0`
 * (not `sag-dok`), valid against AnvendersystemOperationer.xsd. `fejlbeskedTekst` is one line;
 * CPR-shaped runs are masked and characters XML 1.0 cannot carry are removed.
 */
export function modtagBeskedOutput(statusKode: PushStatusKode, fejlbeskedTekst?: string): string {
  let fejl = '';
  if (fejlbeskedTekst !== undefined && fejlbeskedTekst !== '') {
    // CPR-shaped runs are never echoed back to the sender.
    const clean = maskCprNumbers(
      fejlbeskedTekst
        // eslint-disable-next-line no-control-regex -- exactly the characters XML 1.0 forbids
        .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
        .replace(/\s+/g, ' '),
    ).trim();
    fejl = `<sd:FejlbeskedTekst>${escapeText(clean)}</sd:FejlbeskedTekst>`;
  }
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<sts:ModtagBeskedOutput xmlns:sts="${NS_STS}" xmlns:sd="${NS_SAGDOK}">` +
    `<sd:StandardRetur><sd:StatusKode>${statusKode}</sd:StatusKode>${fejl}</sd:StandardRetur>` +
    '</sts:ModtagBeskedOutput>\n'
  );
}
