// The benchmark's table and its budgets (issue: performance at a million tickets).
export interface Row {
  name: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  total: number;
  good: number;
  errors: number;
  ratio: number | null;
}

interface Report {
  machine: { cpu: string; cores: number; memoryGb: number; node: string; platform: string };
  tickets: number;
  coldStartMs: number;
  idleRssMb: number;
  floor: Omit<Row, 'ratio'>;
  results: Row[];
  export: { ms: number; rows: number; rssGrowthMb: number } | null;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

export function printTable(r: Report): void {
  console.log(`\n${r.tickets.toLocaleString('en')} tickets · ${r.machine.cores} × ${r.machine.cpu} · ${r.machine.memoryGb} GiB · Node ${r.machine.node}\n`);
  console.log(`${pad('endpoint', 50)}${lpad('req/s', 9)}${lpad('p50 ms', 9)}${lpad('p95 ms', 9)}${lpad('p99 ms', 9)}${lpad('÷ floor', 9)}`);
  for (const row of [{ ...r.floor, name: 'floor: bare Express queue', ratio: 1 } as Row, ...r.results]) {
    console.log(
      `${pad(row.name, 50)}${lpad(row.rps.toFixed(0), 9)}${lpad(row.p50.toFixed(1), 9)}${lpad(row.p95.toFixed(1), 9)}${lpad(row.p99.toFixed(1), 9)}${lpad(row.ratio === null ? '' : `${(row.ratio * 100).toFixed(0)} %`, 9)}`,
    );
  }
  console.log(`${pad('cold start to first response', 50)}${lpad(`${r.coldStartMs.toFixed(0)} ms`, 9)}`);
  console.log(`${pad('idle RSS', 50)}${lpad(`${r.idleRssMb.toFixed(0)} MB`, 9)}`);
  if (r.export) console.log(`${pad(`CSV export of ${r.export.rows.toLocaleString('en')} decisions`, 50)}${lpad(`${(r.export.ms / 1000).toFixed(1)} s`, 9)}  RSS +${r.export.rssGrowthMb.toFixed(0)} MB`);
}

export function budgets(r: Report): string[] {
  const lines: string[] = ['\nBudgets:'];
  const check = (ok: boolean, text: string) => lines.push(`  ${ok ? 'pass       ' : 'fall-short '} ${text}`);
  const row = (name: string) => r.results.find((x) => x.name.startsWith(name));
  for (const name of ['queue (default)', 'queue filtered', 'queue free-text']) {
    const q = row(name);
    if (!q) continue;
    check(q.p99 < 50, `${q.name}: p99 ${q.p99.toFixed(1)} ms < 50 ms`);
    check((q.ratio ?? 0) >= 0.5, `${q.name}: ${((q.ratio ?? 0) * 100).toFixed(0)} % of the floor ≥ 50 %`);
  }
  const ws = row('ticket workspace');
  if (ws) check((ws.ratio ?? 0) >= 0.4, `ticket workspace: ${((ws.ratio ?? 0) * 100).toFixed(0)} % of the floor ≥ 40 %`);
  const form = row('public form GET');
  if (form) check(form.rps >= 2000, `public form GET: ${form.rps.toFixed(0)} req/s ≥ 2,000`);
  const api = row('intake via panel API');
  if (api) check(api.rps >= 220, `intake via the panel API: ${api.rps.toFixed(0)} tickets/s ≥ 220`);
  const shots = row('intake via form');
  if (shots) check(shots.p95 < 300 && shots.good > 0, `intake via the form with two phone screenshots: p95 ${shots.p95.toFixed(0)} ms < 300 ms`);
  if (r.export) {
    // The seed makes about 1.8 decisions per ticket; the budget is per million decisions.
    const perMillion = r.export.rows > 0 ? (r.export.ms / r.export.rows) * 1000 : Infinity;
    check(
      perMillion < 20,
      `CSV export: ${r.export.rows.toLocaleString('en')} decisions in ${(r.export.ms / 1000).toFixed(1)} s = ${perMillion.toFixed(1)} s per 1,000,000 < 20 s`,
    );
    check(r.export.rssGrowthMb < 64, `CSV export RSS growth ${r.export.rssGrowthMb.toFixed(0)} MB < 64 MB`);
  } else lines.push('  (no CSV export measured)');
  check(r.coldStartMs < 1500, `cold start ${r.coldStartMs.toFixed(0)} ms < 1,500 ms`);
  check(r.idleRssMb < 150, `idle RSS ${r.idleRssMb.toFixed(0)} MB < 150 MB`);
  return lines;
}
