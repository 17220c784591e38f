// Where UTF-8 goes wrong: the byte offset of the first invalid sequence, for error messages that name
// the exact line and byte. Platform-neutral (TextDecoder/TextEncoder), shared by the CLIs' line reader
// and the data-file readers.

/** The 0-based byte offset of the first invalid UTF-8 sequence in `bytes` (-1 when there is none). */
export function firstInvalidByte(bytes: Uint8Array): number {
  // Decoded with replacement, every U+FFFD is either a real one (bytes EF BF BD) or the first invalid
  // sequence; the text before it re-encodes to exactly the bytes before it.
  const text = new TextDecoder('utf-8').decode(bytes);
  const encoder = new TextEncoder();
  for (let j = text.indexOf('\ufffd'); j >= 0; j = text.indexOf('\ufffd', j + 1)) {
    const at = encoder.encode(text.slice(0, j)).length;
    if (bytes[at] !== 0xef || bytes[at + 1] !== 0xbf || bytes[at + 2] !== 0xbd) return at;
  }
  return -1;
}
