/** The small element tree xml-reader builds: only the envelope's own elements, nothing of the payload. */
export interface XNode {
  ns: string;
  local: string;
  /** How its children are read: one of xml-reader's MODE_ values. */
  mode: number;
  /** Concatenated character data directly inside this element (untrimmed). */
  text: string;
  children: XNode[];
  /** Attributes by local name, only for unprefixed attributes of the Base64 wrapper. */
  attrs: Record<string, string> | undefined;
  /** For a captured foreign element: its self-contained XML text. */
  raw: string | undefined;
  /** For Beskeddata: captured child elements and where they sit in the source. */
  segments: Segment[] | undefined;
  /** For Beskeddata: the source range of its content. */
  contentStart: number;
  contentEnd: number;
  /** For Base64: its text already passed BASE64_TEXT. */
  base64Checked: boolean;
  /** Child elements in other namespaces that were skipped (not built as nodes). */
  foreign: number;
}

/** A captured element: source range and its self-contained serialization. */
export interface Segment {
  start: number;
  end: number;
  raw: string;
}

/**
 * The children of a node that has none yet: one shared, frozen array (addChild replaces it). Half
 * of an envelope's elements are leaves and most others have one child, and an empty array literal
 * grows to 17 slots on its first push: ~3.7 KB less garbage per message (issue 23).
 */
const NO_CHILDREN: XNode[] = Object.freeze([]) as unknown as XNode[];

/** The one way a child is added to a node. */
export function addChild(parent: XNode, child: XNode): void {
  if (parent.children === NO_CHILDREN) parent.children = [child];
  else parent.children.push(child);
}

export function newNode(ns: string, local: string, mode: number): XNode {
  return {
    ns,
    local,
    mode,
    text: '',
    children: NO_CHILDREN,
    attrs: undefined,
    raw: undefined,
    segments: undefined,
    contentStart: 0,
    contentEnd: 0,
    base64Checked: false,
    foreign: 0,
  };
}
