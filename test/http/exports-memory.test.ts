// A year of decisions exports with flat memory: 200,000 rows streamed into a slow
// sink that discards what it gets, with the heap sampled all along. No timing
// assertions: only memory and the row count.
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import { expect } from 'chai';
import { writeExport } from '../../server/exports/export';
import type { ExportRequest } from '../../server/exports/form';
import { startTestDesk, type TestDesk } from '../support/desk';

const DECISIONS = 200_000;
const PER_TICKET = 100;
const MB = 1024 * 1024;

/** The collector, for measuring what is really alive (mocha runs without --expose-gc). */
function collector(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}
const YEAR_START = Date.parse('2025-01-01T00:00:00Z');
const YEAR_MS = 365 * 24 * 3_600_000;
// ~450 bytes of customer text on every row: the whole file (~120 MB) would not fit under the bound.
const DETAILS = `${'الطلب لم يبدأ بعد، أرجو الإلغاء. '.repeat(4)}${'Замовлення не почалося. '.repeat(4)}=HYPERLINK("x") "quoted", comma`;

/** Counts bytes and record ends; answers each write on a later turn, so the export must wait for it. */
class CountingSink extends Writable {
  bytes = 0;
  lines = 0;
  constructor(private readonly sample: () => void) {
    super({ highWaterMark: 64 * 1024 });
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void) {
    this.bytes += chunk.length;
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) if (chunk[i - 1] === 0x0d) this.lines++;
    this.sample();
    setImmediate(done);
  }
}

describe('exports: memory stays flat for a year of decisions', function () {
  this.timeout(180_000);
  let desk: TestDesk;

  before(async () => {
    desk = await startTestDesk();
    seed(desk);
  });
  after(async () => {
    await desk.cleanup();
  });

  function seed(d: TestDesk) {
    const sqlite = d.db.$client;
    const now = Date.now();
    sqlite.transaction(() => {
      sqlite.prepare(`INSERT INTO staff_users (email, name, role, password_hash, created_at) VALUES ('bulk@desk.test', 'Bulk Agent', 'agent', 'x', ?)`).run(now);
      const staffId = (sqlite.prepare(`SELECT id FROM staff_users WHERE email = 'bulk@desk.test'`).get() as { id: number }).id;
      const customerId = sqlite.prepare(`INSERT INTO customers (email, language, created_at) VALUES ('bulk@example.com', 'ar', ?)`).run(now).lastInsertRowid;
      const ticket = sqlite.prepare(
        `INSERT INTO tickets (number, customer_id, email, language, reason, details, preferred_resolution, status, created_at, updated_at)
         VALUES (?, ?, 'bulk@example.com', ?, 'partial_delivery', ?, 'balance', 'resolved', ?, ?)`,
      );
      const decision = sqlite.prepare(
        `INSERT INTO decisions (ticket_id, order_key, order_id, state, outcome, destination, amount_micros, currency, rule, order_status, decided_by, decided_at, issued_at)
         VALUES (?, ?, ?, 'issued', 'partial_refund', 'balance', ?, 'USD', 'partial.undelivered', 'partial', ?, ?, ?)`,
      );
      for (let t = 0; t < DECISIONS / PER_TICKET; t++) {
        const created = YEAR_START + Math.floor((t * YEAR_MS) / (DECISIONS / PER_TICKET));
        const ticketId = ticket.run(`RD-B${String(t).padStart(7, '0')}`, customerId, ['en', 'ar', 'uk'][t % 3], DETAILS, created, created).lastInsertRowid;
        for (let k = 0; k < PER_TICKET; k++) {
          const n = t * PER_TICKET + k;
          const issued = YEAR_START + Math.floor((n * YEAR_MS) / DECISIONS);
          decision.run(ticketId, `o${k}`, String(1_000_000 + n), 43_675 + n, staffId, issued, issued);
        }
      }
    })();
  }

  /**
   * Peak growth of the heap (and of heap + buffers) during the export, and the
   * largest growth still alive after a full collection (taken twice a second).
   */
  async function measure(req: ExportRequest) {
    const used = () => {
      const m = process.memoryUsage();
      return { heap: m.heapUsed, all: m.heapUsed + m.arrayBuffers };
    };
    const gc = collector();
    gc();
    const base = used();
    const peak = { ...base };
    let live = 0;
    const sample = () => {
      const u = used();
      peak.heap = Math.max(peak.heap, u.heap);
      peak.all = Math.max(peak.all, u.all);
    };
    const sampling = setInterval(sample, 20);
    const collecting = setInterval(() => {
      sample();
      gc();
      live = Math.max(live, used().all - base.all);
    }, 500);
    const sink = new CountingSink(sample);
    try {
      const rows = await writeExport(desk.db, req, sink);
      return { rows, sink, heap: (peak.heap - base.heap) / MB, all: (peak.all - base.all) / MB, live: live / MB };
    } finally {
      clearInterval(sampling);
      clearInterval(collecting);
    }
  }

  const year = { from: '2025-01-01', to: '2025-12-31', serviceId: null, providerId: null, agentId: null, language: null };

  it('When 200,000 decisions of a year are exported as CSV into a slow reader, then every row arrives and memory grows by less than 100 MB', async () => {
    const m = await measure({ kind: 'decisions', format: 'csv', filters: year, language: 'ar' });
    expect(m.rows).to.equal(DECISIONS);
    expect(m.sink.lines).to.equal(DECISIONS + 1);
    // The file is larger than the bound: holding it in memory would fail the test.
    expect(m.sink.bytes).to.be.above(100 * MB);
    expect(m.heap, `heap grew by ${m.heap.toFixed(1)} MB`).to.be.below(100);
    expect(m.all, `heap and buffers grew by ${m.all.toFixed(1)} MB`).to.be.below(100);
    expect(m.live, `${m.live.toFixed(1)} MB still alive after a collection`).to.be.below(50);
  });

  it('When the same year is exported as XLSX into a slow reader, then memory grows by less than 100 MB too', async () => {
    const m = await measure({ kind: 'decisions', format: 'xlsx', filters: year, language: 'uk' });
    expect(m.rows).to.equal(DECISIONS);
    expect(m.sink.bytes).to.be.above(1 * MB);
    expect(m.heap, `heap grew by ${m.heap.toFixed(1)} MB`).to.be.below(100);
    expect(m.all, `heap and buffers grew by ${m.all.toFixed(1)} MB`).to.be.below(100);
    expect(m.live, `${m.live.toFixed(1)} MB still alive after a collection`).to.be.below(50);
  });
});
