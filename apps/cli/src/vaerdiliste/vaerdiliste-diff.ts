/** What making a list hold exactly `wanted` takes: values to add, values to remove. */
export interface VaerdilisteDiff {
  readonly add: readonly string[];
  readonly remove: readonly string[];
  readonly unchanged: number;
}

export function diffValues(current: readonly string[], wanted: readonly string[]): VaerdilisteDiff {
  const have = new Set(current);
  const want = new Set(wanted);
  const add = [...want].filter((v) => !have.has(v));
  const remove = [...have].filter((v) => !want.has(v));
  return { add, remove, unchanged: want.size - add.length };
}
