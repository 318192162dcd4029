/** BeskedId of a Haendelsesbesked, whatever the namespace prefix (for assertions, not parsing). */
export function beskedIdOf(xml: string): string | undefined {
  return /<(?:\w+:)?BeskedId>\s*(?:<!--[\s\S]*?-->\s*)*<(?:\w+:)?UUIDIdentifikator>([^<]+)</.exec(xml)?.[1];
}
