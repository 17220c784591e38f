import { firstInvalidByte } from './utf8';

describe('firstInvalidByte', () => {
  it('skips real U+FFFD characters', () => {
    expect(firstInvalidByte(Buffer.concat([Buffer.from('a\ufffdb'), Buffer.from([0xff])]))).toBe(5);
    expect(firstInvalidByte(Buffer.from('fine'))).toBe(-1);
  });
});
