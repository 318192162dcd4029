/** A plain text table for stdout: one header, rows of cells, columns padded to their widest cell. */
export function renderTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const fmt = {
  rate: (n: number): string => `${Math.round(n).toLocaleString('en')}/s`,
  ratio: (n: number): string => `${n.toFixed(2)}×`,
  ms: (n: number): string => `${Math.round(n).toLocaleString('en')} ms`,
  cpu: (n: number): string => `${n.toFixed(3)} ms`,
  mb: (bytes: number): string => `${Math.round(bytes / 1048576)} MB`,
  kb: (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`,
  s: (n: number): string => `${n.toFixed(1)} s`,
};
