import { HeldLogOutput } from '../src';

function sink(): { write(line: string): void; lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line) };
}

describe('HeldLogOutput', () => {
  it('holds lines until release, then passes them through in order', () => {
    const target = sink();
    const out = new HeldLogOutput(target);
    out.write('a\n');
    out.write('b\n');
    expect(target.lines).toEqual([]);
    out.release();
    out.write('c\n');
    expect(target.lines).toEqual(['a\n', 'b\n', 'c\n']);
  });
  it('drops held and later lines after discard', () => {
    const target = sink();
    const out = new HeldLogOutput(target);
    out.write('a\n');
    out.discard();
    out.write('b\n');
    expect(target.lines).toEqual([]);
  });
  it('releases by itself when the start takes longer than maxHoldMs', async () => {
    const target = sink();
    const out = new HeldLogOutput(target, 20);
    out.write('slow start\n');
    await new Promise((r) => setTimeout(r, 60));
    expect(target.lines).toEqual(['slow start\n']);
    out.discard();
  });
});
