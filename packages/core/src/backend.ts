// Backend selection: the fastest TensorFlow.js backend that is available, without hard dependencies.
import * as tf from '@tensorflow/tfjs';
import { RnnkitError, describeValue } from './errors';
import { applyThreadDefault } from './kernels/threads';
import { fusedKernelsAvailable } from './kernels/mode';

/** Backend names rnnkit knows about; any other registered backend name is accepted too. */
export type BackendName = 'tensorflow' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Packages that register a backend when imported, tried only for backends that are not registered yet. */
const OPTIONAL_BACKEND_PACKAGES: Readonly<Record<string, string>> = {
  wasm: '@tensorflow/tfjs-backend-wasm',
};

/** Preference order in Node: tfjs-node's native TensorFlow if the user registered it, then WASM, then JS. */
export const NODE_BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];
/** Preference order in browsers. */
export const BROWSER_BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** The environment operations backend selection needs; replaced in tests. */
export interface BackendHost {
  isNode(): boolean;
  isRegistered(name: string): boolean;
  /** Imports a package for its side effect (registering a backend); rejects if it cannot be loaded. */
  importPackage(specifier: string): Promise<unknown>;
  /** Activates a registered backend; resolves false (or rejects) if it fails to initialize. */
  setBackend(name: string): Promise<boolean>;
}

// The specifier is a variable so bundlers do not try to resolve an optional package at build time.
const dynamicImport = (specifier: string): Promise<unknown> => import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);

const tfjsHost: BackendHost = {
  isNode: () => tf.env().getBool('IS_NODE'),
  isRegistered: (name) => tf.findBackendFactory(name) != null,
  importPackage: dynamicImport,
  setBackend: (name) => tf.setBackend(name),
};

/**
 * Tries `candidates` in order and activates the first one that initializes: a backend that is not
 * registered is loaded from its optional package when rnnkit knows one (wasm), otherwise skipped.
 * Returns the chosen name. Exposed for tests; use {@link initBackend}.
 */
export async function selectBackend(candidates: readonly string[], host: BackendHost): Promise<string> {
  const tried = new Set<string>();
  for (const name of candidates) {
    if (tried.has(name)) continue;
    tried.add(name);
    if (!host.isRegistered(name)) {
      const pkg = OPTIONAL_BACKEND_PACKAGES[name];
      if (pkg === undefined) continue;
      try {
        await host.importPackage(pkg);
      } catch {
        continue; // optional peer dependency not installed
      }
      if (!host.isRegistered(name)) continue;
    }
    try {
      if (await host.setBackend(name)) return name;
    } catch {
      // a registered backend that fails to initialize (no GPU, no WebAssembly): try the next one
    }
  }
  throw new RnnkitError('UNSUPPORTED', `Expected one of the backends ${candidates.join(', ')} to initialize. Received: none did`);
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * 2 starts the fused kernels' second thread (`startThreads()`), 1 keeps one (stopping a worker an earlier
   * call started); unset follows `RNNKIT_THREADS`, else the default: two threads where the process may use at
   * least two logical CPUs. `RNNKIT_THREADS=1` keeps one thread whatever this says.
   */
  threads?: number;
}

/**
 * Activates the best available TensorFlow.js backend and returns its name.
 *
 * In Node: `tensorflow` if `@tensorflow/tfjs-node` is registered (imported by the application), else
 * `wasm` if `@tensorflow/tfjs-backend-wasm` is installed (an optional peer dependency, imported here on
 * demand), else `cpu`. In browsers: `webgpu` (if its package was imported), `webgl`, `wasm`, `cpu`.
 * `preferred` backends are tried first; a missing or failing optional backend never throws, the next
 * one is tried. On the backends the fused kernels run on, it then awaits their second thread when
 * `options.threads`, `RNNKIT_THREADS` or the default asks for it (`startThreads()`: in browsers only where
 * the page is cross-origin isolated; one thread otherwise, silently).
 *
 * ```ts
 * const name = await initBackend(); // 'wasm' in Node with @tensorflow/tfjs-backend-wasm installed
 * await initBackend({ threads: 2 });   // the options alone are accepted too
 * ```
 */
export async function initBackend(preferred?: string | readonly string[] | InitBackendOptions, options: InitBackendOptions = {}): Promise<string> {
  // initBackend({ threads: 2 }) reads as the options: the one-argument form a caller reaches for first
  const isOptions = typeof preferred === 'object' && preferred !== null && !Array.isArray(preferred);
  const opts = isOptions ? preferred as InitBackendOptions : options;
  const names = isOptions ? undefined : preferred as string | readonly string[] | undefined;
  if (names !== undefined && typeof names !== 'string' && !(Array.isArray(names) && names.every((n) => typeof n === 'string'))) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected preferred backends as a name or an array of names. Received: ${describeValue(names)}`);
  }
  if (typeof opts !== 'object' || opts === null) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected options as an object. Received: ${describeValue(opts)}`);
  }
  if (opts.threads !== undefined && !(Number.isInteger(opts.threads) && opts.threads >= 1)) {
    throw new RnnkitError('INVALID_ARGUMENT', `Expected threads to be 1 or 2. Received: threads=${describeValue(opts.threads)}`);
  }
  const first = names === undefined ? [] : typeof names === 'string' ? [names] : [...names];
  const order = tfjsHost.isNode() ? NODE_BACKEND_ORDER : BROWSER_BACKEND_ORDER;
  const name = await selectBackend([...first, ...order], tfjsHost);
  await tf.ready();
  if (fusedKernelsAvailable(name)) await applyThreadDefault(opts.threads); // the kernels' second thread, where they run
  return name;
}

/**
 * Activates the best available backend ({@link initBackend}) unless the application already chose or
 * used one, and returns the active backend's name. The model loaders of @rnnkit/sentiment and
 * @rnnkit/seq2seq call it first, so their tensors land on WebAssembly in Node when
 * `@tensorflow/tfjs-backend-wasm` is installed (and tfjs prints no "install tfjs-node" banner).
 */
export async function ensureBackend(): Promise<string> {
  const engine = tf.engine() as unknown as { backendName?: string | null };
  if (engine.backendName) return engine.backendName;
  return initBackend();
}

