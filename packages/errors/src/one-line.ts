/**
 * An error as the one line an operator sees: `CODE: message` (the code when it has one), no stack,
 * no payload, line breaks folded. A failed start prints `<process>: ` and this on stderr.
 */
export function oneLine(err: unknown): string {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  const msg = err instanceof Error ? err.message : String(err);
  return `${typeof code === 'string' ? code + ': ' : ''}${msg}`.replace(/\s*\n\s*/g, ' ');
}
