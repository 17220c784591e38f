// Browser stand-in for Node's `util`, aliased in vite.config.ts. natural's tokenizers (used by
// @rnnkit/text's treebankTokenizer, which the sentiment model reads text with) call `util.inherits`
// when their modules load; everything else in `util` is unused in the browser.

/** Node's `util.inherits`: `ctor` inherits the prototype methods of `superCtor`. */
export function inherits(ctor: { prototype: object; super_?: unknown }, superCtor: { prototype: object }): void {
  Object.defineProperty(ctor, 'super_', { value: superCtor, writable: true, configurable: true });
  Object.setPrototypeOf(ctor.prototype, superCtor.prototype);
}
