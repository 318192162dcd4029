const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 7 * 86400 };

/**
 * A duration as an operator writes it: `30d`, `12h`, `90m`, `45s`, `2w`, or plain seconds.
 * Returns seconds, or undefined when it is not one.
 */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*([smhdw]?)$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * (UNITS[m[2] || 's'] ?? 1);
}
