// Run by the benchmark in its own process: exports every issued decision to CSV as
// an export job does (through its own read connection), discarding the bytes, and
// prints time, rows and how much the RSS grew.
import path from 'node:path';
import { Writable } from 'node:stream';
import { openReader } from '../../server/db';
import { writeExport } from '../../server/exports/export';

const db = openReader(path.join(process.env.DATA_DIR!, 'refunddesk.sqlite'));
const sink = new Writable({
  write(_chunk, _enc, done) {
    done();
  },
});
const rssBefore = process.memoryUsage().rss;
let peak = rssBefore;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const started = performance.now();
const rows = await writeExport(db, {
  kind: 'decisions',
  format: 'csv',
  language: 'en',
  filters: { from: '2000-01-01', to: '2100-12-31', serviceId: null, providerId: null, agentId: null, language: null },
}, sink);
const ms = performance.now() - started;
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
console.log(JSON.stringify({ ms, rows, rssGrowthMb: (peak - rssBefore) / 1048576 }));
db.$client.close();
