// Where the desk's own folders are: found from the folder holding package.json, so
// the paths are the same whether the code runs from server/ (tsx, tests) or from
// the bundle in dist/ (npm start).
import fs from 'node:fs';
import path from 'node:path';

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const ROOT = findRoot(import.meta.dirname);
export const VIEWS_DIR = path.join(ROOT, 'views');
export const LOCALES_DIR = path.join(ROOT, 'locales');
export const MIGRATIONS_DIR = path.join(ROOT, 'db', 'migrations');
export const STATIC_DIR = path.join(ROOT, 'server', 'web', 'static');
