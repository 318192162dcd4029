import { CPR_SHAPED } from '../src';

describe('CPR_SHAPED', () => {
  it('finds a CPR number in text, with or without the dash', () => {
    expect('person 0101901234 moved').toMatch(CPR_SHAPED);
    expect('cpr "010190-1234"').toMatch(CPR_SHAPED);
  });

  it('does not take digits inside a UUID or a longer number for one', () => {
    expect('id fe404dd3-fc44-4d02-af33-865662859702').not.toMatch(CPR_SHAPED);
    expect('time 1796618102655').not.toMatch(CPR_SHAPED);
  });
});
