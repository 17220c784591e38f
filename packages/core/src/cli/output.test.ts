import { escapeControl } from './output';

describe('escapeControl', () => {
  it('escapes control, escape and bidi characters and leaves printable text alone', () => {
    expect(escapeControl('a\tb\r\n\u001b[31mred\u0007\u007f\u0085\u202e')).toBe('a\\tb\\r\\n\\e[31mred\\x07\\x7f\\x85\\u202e');
    expect(escapeControl('café 😀 back\\slash')).toBe('café 😀 back\\slash');
  });
});
