// Types of tsup.preset.mjs for the packages' tsup.config.ts files.
import type { Options } from 'tsup';

export declare const RNNKIT_EXTERNAL: RegExp[];
export declare function rnnkitBuild(options: Options): Options;
