const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text and attribute values for XML. */
export function xmlEscape(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}
