import { BadIfMatchError, parseIfMatch, setVersion } from './versioning';

describe('parseIfMatch', () => {
  it.each([
    ['"3"', 3],
    ['3', 3],
    ['W/"3"', 3],
    [' "12" ', 12],
    ['"0"', 0],
  ])('reads %p as version %p', (header, version) => {
    expect(parseIfMatch(header)).toBe(version);
  });

  it.each([undefined, '', '*'])('has no expectation for %p', (header) => {
    expect(parseIfMatch(header)).toBeUndefined();
  });

  it.each(['abc', '"3', '-1', '"1.5"', 'W/3', '"3", "4"', '"v3"'])('rejects %p with HTTP.BAD_IF_MATCH', (header) => {
    expect(() => parseIfMatch(header)).toThrow(BadIfMatchError);
    try {
      parseIfMatch(header);
    } catch (err) {
      expect(err).toMatchObject({ code: 'HTTP.BAD_IF_MATCH', kind: 'invalid' });
    }
  });

  it('rejects a repeated header', () => {
    expect(() => parseIfMatch(['"1"', '"2"'])).toThrow(BadIfMatchError);
  });
});

describe('setVersion', () => {
  it('sets a strong ETag that parseIfMatch reads back', () => {
    const headers = new Map<string, string>();
    setVersion({ setHeader: (name, value) => headers.set(name, value) }, 7);
    expect(headers.get('ETag')).toBe('"7"');
    expect(parseIfMatch(headers.get('ETag'))).toBe(7);
  });
});
