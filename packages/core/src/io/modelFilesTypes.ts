// The ModelFiles interface alone (what a model folder or URL source offers the loaders), in a file of its
// own so that manifest.ts, which modelFiles.ts imports, can name it without an import circle.

/** The files of one saved model. */
export interface ModelFiles {
  /** The folder or base URL, for messages. */
  readonly location: string;
  /** UTF-8 text of a file, or null when it does not exist. Files over `maxBytes` (default `MAX_JSON_BYTES`) are INVALID_MODEL. */
  text(name: string, maxBytes?: number): Promise<string | null>;
  /**
   * Bytes of a file, or null when it does not exist. With `expectedBytes` (the size the manifest
   * declares) a file of another size is INVALID_MODEL, found before reading where the size is known
   * (stat, Content-Length); it also starts the progress reports. With `maxBytes` a larger file is refused.
   */
  bytes(name: string, expectedBytes?: number, maxBytes?: number): Promise<ArrayBuffer | null>;
  /** Size of a file without reading it, or null when it does not exist (folders only). */
  size?(name: string): Promise<number | null>;
  /** Throws `UNSAFE_PATH` for a name this source will not read (see `checkRelativePath` in manifest.ts); returns it otherwise. */
  checkName(name: unknown, where: string): string;
  /** Marks the end of loading (progress 1). */
  done(): void;
}
