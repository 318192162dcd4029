import { TurnBudget } from '../src/turn-budget';

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TurnBudget', () => {
  it('lets at most perTurn jobs through in one turn of the event loop, the rest in later turns', async () => {
    const budget = new TurnBudget(4);
    let through = 0;
    const all = Array.from({ length: 10 }, () => budget.take().then(() => (through += 1)));
    const seen: number[] = [];
    // This turn: only the microtasks have run.
    for (let i = 0; i < 5; i++) await Promise.resolve();
    seen.push(through);
    await nextTurn();
    seen.push(through);
    await nextTurn();
    seen.push(through);
    await Promise.all(all);
    expect(seen).toEqual([4, 8, 10]);
  });
});
