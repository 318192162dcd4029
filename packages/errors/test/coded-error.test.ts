import { CodedError, defineErrorCodes, isCodedError, oneLine, type CodeOf } from '../src';

const DEMO_ERROR_CODES = defineErrorCodes({
  DEMO_BROKEN: 'the demo is broken',
  DEMO_GONE: 'the demo is gone',
});
type DemoErrorCode = CodeOf<typeof DEMO_ERROR_CODES>;
class DemoError extends CodedError<DemoErrorCode> {}

describe('CodedError', () => {
  it('carries code, message, cause and the subclass name', () => {
    const cause = new Error('low level');
    const err = new DemoError('DEMO_BROKEN', 'it broke', { cause });
    expect(err).toBeInstanceOf(Error);
    expect(err).toBeInstanceOf(CodedError);
    expect(err).toBeInstanceOf(DemoError);
    expect([err.code, err.message, err.cause, err.name]).toEqual([
      'DEMO_BROKEN',
      'it broke',
      cause,
      'DemoError',
    ]);
    expect(isCodedError(err)).toBe(true);
    expect(isCodedError(new Error('plain'))).toBe(false);
  });
  it('has no own cause property when none is given', () => {
    expect('cause' in new DemoError('DEMO_GONE', 'gone')).toBe(false);
  });
  it('keeps a table frozen with its literal codes', () => {
    expect(Object.isFrozen(DEMO_ERROR_CODES)).toBe(true);
    const codes: DemoErrorCode[] = ['DEMO_BROKEN', 'DEMO_GONE'];
    expect(Object.keys(DEMO_ERROR_CODES)).toEqual(codes);
  });
});

describe('oneLine', () => {
  it('is CODE: message on one line', () => {
    expect(oneLine(new DemoError('DEMO_BROKEN', 'it broke\n  at the second line'))).toBe(
      'DEMO_BROKEN: it broke at the second line',
    );
  });
  it('takes errors without a code, and things that are not errors', () => {
    expect(oneLine(new Error('plain'))).toBe('plain');
    expect(oneLine(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      'ECONNREFUSED: connect ECONNREFUSED',
    );
    expect(oneLine('text')).toBe('text');
    expect(oneLine(undefined)).toBe('undefined');
  });
});
