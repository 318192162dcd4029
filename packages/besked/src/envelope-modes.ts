import * as ns from './namespaces';

/**
 * How an element's children are read into the XNode tree; the same for both envelope readers
 * (envelope-scanner.ts on the hot path, xml-reader.ts with saxes as the reference).
 */
export const MODE_TREE = 0; // envelope elements become nodes, others are skipped
export const MODE_BESKEDDATA = 1; // Base64 becomes a node, anything else is captured as payload XML
export const MODE_CAPTURE_ALL = 2; // *Signatur: the ds:Signature is captured as XML
export const MODE_CAPTURE_FOREIGN = 3; // *LokalUdvidelse: kuvert elements are nodes, foreign ones captured
export const MODE_TEXT_ONLY = 4; // Base64: text only

// Plain local constants: imported bindings compile to getter calls under CJS, measurable per element.
const NS_BASE64: string = ns.NS_BASE64;
const NS_KUVERT: string = ns.NS_KUVERT;

/** How the children of an element are read, fixed when the element is created. */
export function modeOf(uri: string, local: string): number {
  if (uri === NS_KUVERT) {
    switch (local) {
      case 'Beskeddata':
        return MODE_BESKEDDATA;
      case 'BeskedfordelerSignatur':
      case 'AfsenderSystemSignatur':
        return MODE_CAPTURE_ALL;
      case 'LeveranceinformationLokalUdvidelse':
      case 'LeveranceruteLokalUdvidelse':
      case 'ObjektRegistreringLokalUdvidelse':
        return MODE_CAPTURE_FOREIGN;
      default:
        return MODE_TREE;
    }
  }
  return uri === NS_BASE64 ? MODE_TEXT_ONLY : MODE_TREE;
}

/** An attribute value as it is written into a captured element's start tag. */
export function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
}
