// Every (method, path) an Express 5 app serves, read from its router: router 2.3's
// listRoutes() gives each layer's path as declared, its methods, and for a mounted
// router that router, so the walk joins the mount paths. The automatic HEAD of a
// GET route is left out (it runs the GET handlers); middleware without a route
// (static files, guards) is not a route and is not listed.
import type express from 'express';

interface RouteInfo {
  path: string | RegExp;
  methods?: string[];
  router?: Listable;
}
interface Listable {
  listRoutes?(): RouteInfo[];
}

/** "GET /desk/tickets/:number", sorted, each once. */
export function appRoutes(app: express.Express): string[] {
  const found = new Set<string>();
  walk(app.router as unknown as Listable, '', found);
  return [...found].sort();
}

function walk(router: Listable, prefix: string, found: Set<string>) {
  if (!router.listRoutes) throw new Error('this router cannot list its routes (router >= 2.3 needed)');
  for (const r of router.listRoutes()) {
    if (typeof r.path !== 'string') throw new Error(`a route declared by a regular expression cannot be named: ${String(r.path)}`);
    const path = prefix + (r.path === '/' ? '' : r.path);
    if (r.router) {
      walk(r.router, path, found);
      continue;
    }
    for (const method of r.methods ?? []) {
      if (method === 'HEAD' && r.methods!.includes('GET')) continue;
      found.add(`${method} ${path || '/'}`);
    }
  }
}
