const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text and attribute values for XML. */
const SPECIAL = /[&<>"']/;

export function xmlEscape(value: string): string {
  // Most values (ids, names, dates) need nothing: skip the replace.
  if (!SPECIAL.test(value)) return value;
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
