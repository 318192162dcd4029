import { BeskedError } from './besked-error';
import { NS_KUVERT } from './namespaces';
import type { XNode } from './xml-tree';

const PATH = 'ModtagBeskedInput/Haendelsesbesked';

/**
 * The one Haendelsesbesked of a ModtagBeskedInput. AnvendersystemOperationer.xsd allows exactly one
 * child element (besked:Haendelsesbesked) and no text: a second message, another element or text
 * is refused (BESKED_ELEMENT_UNEXPECTED), never read in part; none is BESKED_FIELD_MISSING.
 */
export function modtagBeskedInputContent(root: XNode): XNode {
  let besked: XNode | undefined;
  let beskeder = 0;
  let others = root.foreign;
  for (const c of root.children) {
    if (c.ns === NS_KUVERT && c.local === 'Haendelsesbesked') {
      besked ??= c;
      beskeder++;
    } else others++;
  }
  if (beskeder > 1) {
    throw new BeskedError(
      'BESKED_ELEMENT_UNEXPECTED',
      `ModtagBeskedInput holds ${beskeder} Haendelsesbesked; the schema allows exactly one`,
      { path: PATH },
    );
  }
  if (others > 0 || root.text.trim() !== '') {
    throw new BeskedError(
      'BESKED_ELEMENT_UNEXPECTED',
      'ModtagBeskedInput holds something besides its one Haendelsesbesked (another element or text)',
      { path: 'ModtagBeskedInput' },
    );
  }
  if (besked === undefined) {
    throw new BeskedError('BESKED_FIELD_MISSING', `required element ${PATH} is missing`, { path: PATH });
  }
  return besked;
}
