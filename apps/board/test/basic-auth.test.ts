import { parseBasicAuth } from '../src/basic-auth';

describe('parseBasicAuth', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it('reads user and password; the password may contain ":"', () => {
    expect(parseBasicAuth(`Basic ${b64('ops:a:b')}`)).toEqual({ user: 'ops', password: 'a:b' });
  });
  it('rejects missing, other schemes and values without a colon', () => {
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth(`Bearer ${b64('ops:pw')}`)).toBeUndefined();
    expect(parseBasicAuth(`Basic ${b64('opspw')}`)).toBeUndefined();
  });
});
