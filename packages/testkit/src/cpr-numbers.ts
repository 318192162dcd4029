/** `n` distinct valid CPR numbers (real dates, any 7th digit fits since days stay <= 28). */
export function cprNumbers(n: number, offset = 0): string[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    const day = 1 + (i % 28);
    const month = 1 + (Math.floor(i / 28) % 12);
    const yy = Math.floor(i / 336) % 100;
    const two = (v: number): string => String(v).padStart(2, '0');
    return `${two(day)}${two(month)}${two(yy)}${String(i % 10_000).padStart(4, '0')}`;
  });
}
