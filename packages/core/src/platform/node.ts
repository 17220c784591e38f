// Node build of the platform module: Node's built-ins, imported statically. The browser build of
// @rnnkit/core replaces this file with ./browser.ts (tsup.config.ts), selected by the `node` /
// `browser` conditions of the package's exports map.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as url from 'node:url';
import type { NodeModules } from './types';

const modules: NodeModules = { fs, fsp, path, readline, url };

/** Node's built-in modules (Node build). In the browser build this rejects with UNSUPPORTED. */
export async function nodeModules(): Promise<NodeModules> {
  return modules;
}
