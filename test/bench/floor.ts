// The floor: bare Express + better-sqlite3 + EJS rendering the same 50 queue rows
// with the same query as the desk, and nothing else — no sessions, CSRF, i18n,
// helmet or logging. The desk's speed is reported as a ratio to this, so the
// numbers compare across machines.
import path from 'node:path';
import ejs from 'ejs';
import express from 'express';
import { openDb } from '../../server/db';
import { readQueue } from '../../server/desk/queue';
import { DEFAULT_FILTERS } from '../../server/desk/queue-filters';

const db = openDb(path.join(process.env.DATA_DIR!, 'refunddesk.sqlite'));
const staffId = Number(process.env.STAFF_ID ?? 1);
const template = ejs.compile(
  `<!doctype html><html><body><table>
<% rows.forEach(function (r) { %><tr><td><a href="/desk/tickets/<%= r.number %>"><%= r.number %></a></td><td><%= r.email %></td>
<td><%= r.orderIds.join(', ') %></td><td><%= r.reason %></td><td><%= r.language %></td><td><%= r.status %></td>
<td><%= r.assigneeName || '' %></td><td><%= r.slaDueAt === null ? '' : new Date(r.slaDueAt).toISOString() %></td></tr><% }) %>
</table><% Object.keys(counts).forEach(function (k) { %><span><%= k %> <%= counts[k] %></span><% }) %></body></html>`,
);

const app = express();
app.get('/queue', (_req, res) => {
  const page = readQueue(db, { filters: { ...DEFAULT_FILTERS }, staffId, now: Date.now(), after: null });
  res.type('html').send(template(page));
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('floor ready'));
// Closed cleanly, so the next start of a reused database finds no write-ahead log to recover.
process.on('SIGTERM', () => server.close(() => (db.$client.close(), process.exit(0))));
