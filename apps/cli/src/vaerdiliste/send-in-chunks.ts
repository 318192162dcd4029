/**
 * Sends `values` in chunks of `size`, one request after the other, and reports progress on
 * stderr (counts only) when it takes more than one request. Returns the number of requests.
 */
export async function sendInChunks(
  values: readonly string[],
  size: number,
  label: string,
  send: (chunk: readonly string[]) => Promise<void>,
): Promise<number> {
  const chunks = Math.ceil(values.length / size);
  for (let i = 0; i < chunks; i += 1) {
    const chunk = values.slice(i * size, (i + 1) * size);
    await send(chunk);
    if (chunks > 1) {
      const done = Math.min(values.length, (i + 1) * size);
      process.stderr.write(
        `${label}: ${done}/${values.length} (${Math.round((100 * done) / values.length)}%)\n`,
      );
    }
  }
  return chunks;
}
