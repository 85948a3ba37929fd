// The names each EJS view reads from its locals, found by parsing the JavaScript
// EJS generates for it (acorn) and resolving every identifier against the
// function scopes it sits in. The view-locals test holds VIEW_LOCALS to this.
import fs from 'node:fs';
import path from 'node:path';
import * as acorn from 'acorn';
import ejs from 'ejs';

type Node = acorn.Node & Record<string, unknown>;

/** Names EJS itself defines in a compiled view. */
const EJS_NAMES = new Set(['locals', '__locals', 'escapeFn', 'include', 'rethrow', '__append', '__output', '__line', '__lines', '__filename']);

export interface ViewNames {
  /** names the view reads without declaring them: its locals */
  free: Set<string>;
  /** names declared with const or let at the view's top level (they cannot also be destructured locals) */
  topLexical: Set<string>;
}

export function viewFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ejs')).map((f) => path.join(dir, f));
}

export function viewNames(file: string): ViewNames {
  const template = new ejs.Template(fs.readFileSync(file, 'utf8'), { _with: false, filename: file }) as unknown as {
    generateSource(): void;
    source: string;
  };
  template.generateSource();
  const program = acorn.parse(`(function (locals, escapeFn, include, rethrow) {\n${template.source}\n})`, { ecmaVersion: 2022 }) as unknown as Node;
  const body = (((program.body as Node[])[0]!.expression as Node).body as Node);
  const free = new Set<string>();
  const topLexical = new Set<string>();
  for (const statement of body.body as Node[]) {
    if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') {
      for (const d of statement.declarations as Node[]) for (const n of patternNames(d.id as Node)) topLexical.add(n);
    }
  }
  visitFunction(body, [], free);
  for (const name of [...free]) if (name in globalThis || EJS_NAMES.has(name)) free.delete(name);
  return { free, topLexical };
}

/** Every name a function declares: parameters, and var/let/const/function/class inside it (not inside nested functions). */
function declaredIn(fn: Node, params: Node[]): Set<string> {
  const names = new Set<string>();
  for (const p of params) for (const n of patternNames(p)) names.add(n);
  const walk = (node: Node) => {
    if (node.type === 'VariableDeclarator') for (const n of patternNames(node.id as Node)) names.add(n);
    if ((node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration') && node.id) names.add((node.id as Node).name as string);
    if (node.type === 'CatchClause' && node.param) for (const n of patternNames(node.param as Node)) names.add(n);
    for (const child of children(node)) if (!isFunction(child)) walk(child);
  };
  walk(fn);
  return names;
}

function visitFunction(body: Node, params: Node[], free: Set<string>, outer: Set<string>[] = []): void {
  const scopes = [...outer, declaredIn(body, params)];
  const resolve = (name: string) => scopes.some((s) => s.has(name)) || free.add(name);
  const walk = (node: Node, parent: Node | null, key: string) => {
    if (isFunction(node)) {
      const inner = node.id ? [...scopes, new Set([(node.id as Node).name as string])] : scopes;
      visitFunction(node.body as Node, node.params as Node[], free, inner);
      for (const p of node.params as Node[]) visitDefaults(p, (n) => walk(n, node, 'default'));
      return;
    }
    if (node.type === 'Identifier' && isReference(parent, key)) resolve(node.name as string);
    for (const [childKey, child] of entries(node)) walk(child, node, childKey);
  };
  walk(body, null, '');
}

function isReference(parent: Node | null, key: string): boolean {
  if (!parent) return true;
  if (parent.type === 'MemberExpression' && key === 'property' && !parent.computed) return false;
  if ((parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && key === 'key' && !parent.computed) {
    return false;
  }
  if (parent.type === 'LabeledStatement' || parent.type === 'BreakStatement' || parent.type === 'ContinueStatement') return false;
  return true;
}

function visitDefaults(pattern: Node, visit: (n: Node) => void): void {
  if (pattern.type === 'AssignmentPattern') visit(pattern.right as Node);
}

function patternNames(pattern: Node): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name as string];
    case 'ObjectPattern':
      return (pattern.properties as Node[]).flatMap((p) => patternNames((p.type === 'RestElement' ? p.argument : p.value) as Node));
    case 'ArrayPattern':
      return (pattern.elements as (Node | null)[]).flatMap((e) => (e ? patternNames(e) : []));
    case 'RestElement':
      return patternNames(pattern.argument as Node);
    case 'AssignmentPattern':
      return patternNames(pattern.left as Node);
    default:
      return [];
  }
}

function isFunction(node: Node): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

function entries(node: Node): [string, Node][] {
  const out: [string, Node][] = [];
  for (const [key, value] of Object.entries(node)) {
    if (Array.isArray(value)) for (const v of value) if (v && typeof v.type === 'string') out.push([key, v as Node]);
    if (value && typeof value === 'object' && typeof (value as Node).type === 'string') out.push([key, value as Node]);
  }
  return out;
}

function children(node: Node): Node[] {
  return entries(node).map(([, n]) => n);
}
