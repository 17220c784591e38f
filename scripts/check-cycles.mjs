// Fails (exit 1) when the repository has an import circle: files that import each other in a loop,
// anywhere in packages/, apps/, tools/ and scripts/ (sources, tests, benchmarks, scripts), across
// packages too (`@rnnkit/<pkg>[/sub]` resolves through its `@rnnkit/source` export condition, the way
// the workspace itself resolves). Run by the root `lint` and `test`.
//
// A script rather than eslint-plugin-import-x's `no-cycle`: that rule needs the plugin plus a
// TypeScript resolver taught the `@rnnkit/source` condition (two dependencies, one with native
// builds), and each package's `eslint .` would walk the other packages' graphs again; this reads every
// file once with the TypeScript parser the repository already has and checks the whole graph in about
// a second.
//
// Counted: import and export-from declarations, `import x = require()`, `require()` and `import()`.
// Type-only imports (`import type`, or every name marked `type`) count too: TypeScript erases them, so
// they cannot change the order modules load in, but a circle of types is still two files that cannot be
// understood or moved one without the other. `--no-types` leaves them out (load-order circles only).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const withTypes = !process.argv.includes('--no-types');
const SOURCE = /\.(?:[cm]?ts|tsx|[cm]?js)$/;
const SKIP_DIRS = new Set(['node_modules', 'dist', 'coverage', '.turbo', '.git']);
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs'];

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    if (SKIP_DIRS.has(name)) continue;
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isDirectory()) walk(path, out);
    else if (SOURCE.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const files = ['packages', 'apps', 'tools', 'scripts'].filter((d) => existsSync(join(root, d))).flatMap((d) => walk(join(root, d), []));
const fileSet = new Set(files);

/** Workspace packages by name: their folder and `exports` map. */
const workspace = new Map();
for (const group of ['packages', 'apps', 'tools']) {
  const dir = join(root, group);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const pj = join(dir, name, 'package.json');
    if (!existsSync(pj)) continue;
    const pkg = JSON.parse(readFileSync(pj, 'utf8'));
    workspace.set(pkg.name, { dir: join(dir, name), exports: pkg.exports ?? {} });
  }
}

function asFile(path) {
  const candidates = [path, ...EXTENSIONS.map((e) => path + e), ...EXTENSIONS.map((e) => join(path, 'index' + e))];
  // `./x.js` in TypeScript source names `./x.ts`.
  const m = /\.([cm]?)js$/.exec(path);
  if (m) candidates.push(path.slice(0, -m[0].length) + `.${m[1]}ts`);
  return candidates.find((c) => existsSync(c) && statSync(c).isFile()) ?? null;
}

/** The file a specifier names, or null for a package outside the workspace (or a non-source file). */
function resolveSpecifier(from, spec) {
  if (spec.startsWith('.')) return asFile(resolve(dirname(from), spec));
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const pkg = workspace.get(name);
  if (!pkg) return null;
  const sub = '.' + spec.slice(name.length);
  const entry = pkg.exports[sub];
  const target = entry && typeof entry === 'object' ? entry['@rnnkit/source'] : null;
  return typeof target === 'string' ? asFile(join(pkg.dir, target)) : null;
}

function isTypeOnlyImport(node) {
  const clause = node.importClause;
  if (!clause) return false; // `import './x'`: run for its effects
  if (clause.isTypeOnly) return true;
  if (clause.name) return false;
  const b = clause.namedBindings;
  return b !== undefined && ts.isNamedImports(b) && b.elements.length > 0 && b.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node) {
  if (node.isTypeOnly) return true;
  const c = node.exportClause;
  return c !== undefined && ts.isNamedExports(c) && c.elements.length > 0 && c.elements.every((e) => e.isTypeOnly);
}

/** The imports of one file: `{ spec, line, typeOnly }`. */
function importsOf(path) {
  let text;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err.code === 'ENOENT') return []; // a file a running test wrote and removed meanwhile
    throw err;
  }
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const add = (lit, typeOnly) => found.push({ spec: lit.text, line: sf.getLineAndCharacterOfPosition(lit.getStart()).line + 1, typeOnly });
  const visit = (node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier, isTypeOnlyImport(node));
    else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) add(node.moduleSpecifier, isTypeOnlyExport(node));
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) add(node.moduleReference.expression, node.isTypeOnly);
    else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) add(node.arguments[0], false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) add(node.argument.literal, true);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** file -> [{ to, line }] */
const graph = new Map();
for (const file of files) {
  const edges = [];
  for (const imp of importsOf(file)) {
    if (imp.typeOnly && !withTypes) continue;
    const to = resolveSpecifier(file, imp.spec);
    if (to && fileSet.has(to)) edges.push({ to, line: imp.line });
  }
  graph.set(file, edges);
}

// Tarjan's strongly connected components: every component of two or more files (or a file importing
// itself) is a circle.
let counter = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const components = [];
function strongConnect(v) {
  index.set(v, counter);
  low.set(v, counter);
  counter++;
  stack.push(v);
  onStack.add(v);
  for (const { to } of graph.get(v)) {
    if (!index.has(to)) {
      strongConnect(to);
      low.set(v, Math.min(low.get(v), low.get(to)));
    } else if (onStack.has(to)) low.set(v, Math.min(low.get(v), index.get(to)));
  }
  if (low.get(v) === index.get(v)) {
    const comp = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      comp.push(w);
    } while (w !== v);
    if (comp.length > 1 || graph.get(v).some((e) => e.to === v)) components.push(comp);
  }
}
for (const file of files) if (!index.has(file)) strongConnect(file);

/** One loop through `comp`, starting at its first file (breadth-first back to the start). */
function loopIn(comp) {
  const inComp = new Set(comp);
  const start = comp.slice().sort()[0];
  const prev = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const v = queue.shift();
    for (const e of graph.get(v)) {
      if (!inComp.has(e.to)) continue;
      if (e.to === start) {
        const path = [{ from: v, line: e.line, to: start }];
        for (let u = v; prev.get(u); u = prev.get(u).from) path.unshift(prev.get(u));
        return path;
      }
      if (!prev.has(e.to)) {
        prev.set(e.to, { from: v, line: e.line, to: e.to });
        queue.push(e.to);
      }
    }
  }
  return [];
}

const rel = (p) => relative(root, p);
const kind = withTypes ? 'import circle(s), type-only imports included' : 'import circle(s)';
if (components.length === 0) {
  console.log(`check-cycles: no ${kind} in ${files.length} files`);
} else {
  console.error(`check-cycles: ${components.length} ${kind} in ${files.length} files:`);
  for (const comp of components) {
    console.error(`  circle of ${comp.length} file(s):`);
    for (const step of loopIn(comp)) console.error(`    ${rel(step.from)}:${step.line} imports ${rel(step.to)}`);
  }
  process.exitCode = 1;
}
