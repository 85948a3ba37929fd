import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import { translator } from '../../../server/i18n/index';
import { claimImport, importsDir, purgeStaleImports, readImport, saveImport } from '../../../server/orders/csv-files';
import { detectDelimiter, importRows, lineMessages, MAX_ROWS, readCsv, type CsvTable } from '../../../server/orders/csv-import';
import { detectMapping, mappingProblem, parseMapOption, unmatchedOverrides } from '../../../server/orders/csv-mapping';
import { startTestDesk, type TestDesk } from '../../support/desk';

const HEADER = 'Order ID,Email,Link,Quantity,Charge,Status,Date';
const row = (id: string, extra = '') => `${id},buyer${id}@example.com,https://instagram.com/p/${id},1000,0.50,Completed,2026-11-20 10:00:00${extra}`;

function table(text: string | Buffer): CsvTable {
  const read = readCsv(Buffer.isBuffer(text) ? text : Buffer.from(text));
  if (!read.ok) throw new Error(`expected a table, got ${read.problem.key}`);
  return read.table;
}

function problemOf(text: string | Buffer, opts: { maxRows?: number } = {}) {
  const read = readCsv(Buffer.isBuffer(text) ? text : Buffer.from(text), opts);
  if (read.ok) throw new Error('expected a file problem');
  return read.problem;
}

describe('orders: CSV import', () => {
  describe('header mapping', () => {
    const cases: [string, string | null][] = [
      ['Order ID', 'id'],
      ['order_id', 'id'],
      ['id', 'id'],
      ['Email', 'customerEmail'],
      ['User email', 'customerEmail'],
      ['customer_email', 'customerEmail'],
      ['E-mail', 'customerEmail'],
      ['Service ID', 'serviceId'],
      ['service', 'serviceId'],
      ['Provider', 'providerId'],
      ['provider_id', 'providerId'],
      ['External ID', 'providerOrderId'],
      ['provider order id', 'providerOrderId'],
      ['Link', 'link'],
      ['URL', 'link'],
      ['Quantity', 'quantity'],
      ['qty', 'quantity'],
      ['Charge', 'charge'],
      ['price', 'charge'],
      ['Amount', 'charge'],
      ['Start count', 'startCount'],
      ['START_COUNT', 'startCount'],
      ['Remains', 'remains'],
      ['Status', 'status'],
      ['Date', 'createdAt'],
      ['Created', 'createdAt'],
      ['created_at', 'createdAt'],
      ['Completed', 'completedAt'],
      ['completed_at', 'completedAt'],
      ['Currency', 'currency'],
      ['Refunded', 'refunded'],
      ['Notes', null],
      ['', null],
    ];
    for (const [header, field] of cases) {
      it(`When a column is headed "${header}", then it maps to ${field ?? 'nothing'}`, () => {
        expect(detectMapping([header])).to.deep.equal([field]);
      });
    }

    it('When two columns name the same field, then the first one gets it and the second is ignored', () => {
      expect(detectMapping(['Date', 'Created', 'Order ID'])).to.deep.equal(['createdAt', null, 'id']);
    });

    it('When an override is given by header, then it wins over detection, including "ignore"', () => {
      const overrides = parseMapOption('Order ID=ignore, Number=id ,Mail addr=customer_email');
      if ('error' in overrides) throw new Error(overrides.error);
      expect(detectMapping(['Order ID', 'number', 'Mail addr', 'Link'], overrides)).to.deep.equal([null, 'id', 'customerEmail', 'link']);
      expect(unmatchedOverrides(['Order ID', 'number'], overrides)).to.deep.equal(['Mail addr']);
    });

    it('When an override names no known field, then it is refused', () => {
      expect(parseMapOption('Order ID=order_number')).to.deep.equal({ error: 'Order ID=order_number' });
      expect(parseMapOption('=id')).to.deep.equal({ error: '=id' });
    });

    it('When a required column is missing, then the mapping problem names it before any row is read', () => {
      expect(mappingProblem(detectMapping(['Order ID', 'Email', 'Link', 'Quantity', 'Status', 'Notes']))).to.deep.equal({
        key: 'mapping.missing',
        fields: ['charge', 'createdAt'],
      });
    });

    it('When an override sends two columns to one field, then the mapping problem says so', () => {
      const mapping = detectMapping(HEADER.split(','), new Map([['Email', 'id' as const]]));
      expect(mappingProblem(mapping)).to.deep.equal({ key: 'mapping.missing', fields: ['customerEmail'] });
      expect(mappingProblem([...detectMapping(HEADER.split(',')), 'id'])).to.deep.equal({ key: 'mapping.duplicate', fields: ['id'] });
    });
  });

  describe('reading the file', () => {
    it('When the file starts with a UTF-8 BOM, then the first header is read without it', () => {
      const t = table(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${HEADER}\n${row('1')}\n`)]));
      expect(t.headers[0]).to.equal('Order ID');
      expect(detectMapping(t.headers)[0]).to.equal('id');
    });

    it('When the header is separated by semicolons or tabs, then that separator is used', () => {
      expect(detectDelimiter('a;b;"c,d"\n1;2;3')).to.equal(';');
      expect(detectDelimiter('a\tb\tc')).to.equal('\t');
      expect(detectDelimiter('"x;y;z",b')).to.equal(',');
      // the first line that is not blank is the header; the rest of the file is not read
      expect(detectDelimiter('\n  \na;b\n1,2,3,4')).to.equal(';');
      expect(detectDelimiter('\n\n')).to.equal(',');
      expect(detectDelimiter('')).to.equal(',');
      const semi = table(`Order ID;Email;Charge\n7;a@example.com;"0,50"\n`);
      expect(semi.headers).to.deep.equal(['Order ID', 'Email', 'Charge']);
      expect(semi.rows).to.deep.equal([{ line: 2, values: ['7', 'a@example.com', '0,50'] }]);
      const tab = table('Order ID\tEmail\n8\tb@example.com\n');
      expect(tab.rows[0]!.values).to.deep.equal(['8', 'b@example.com']);
    });

    it('When values are quoted with commas and newlines, and empty lines lie between, then each row has the line it starts on', () => {
      const text = [
        'id,note,link', // 1
        '', // 2
        '1,"a, b",https://x.test/1', // 3
        '2,"first', // 4
        'second',
        'third",https://x.test/2', // 6
        '',
        '   ', // 8: only blanks, skipped
        '3,"say ""hi""",https://x.test/3', // 9
      ].join('\r\n');
      const t = table(text);
      expect(t.rows.map((r) => r.line)).to.deep.equal([3, 4, 9]);
      expect(t.rows[0]!.values[1]).to.equal('a, b');
      expect(t.rows[1]!.values[1]).to.equal('first\nsecond\nthird');
      expect(t.rows[2]!.values[1]).to.equal('say "hi"');
    });

    it('When the file is empty, has only a header, is binary, is not UTF-8 or has an unclosed quote, then it is a file problem', () => {
      expect(problemOf('')).to.deep.equal({ key: 'file.empty' });
      expect(problemOf('\n\n  \n')).to.deep.equal({ key: 'file.empty' });
      expect(problemOf(`${HEADER}\n\n`)).to.deep.equal({ key: 'file.noRows' });
      expect(problemOf(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]))).to.deep.equal({ key: 'file.notCsv' });
      expect(problemOf(Buffer.from('id,name\n1,caf\xe9\n', 'latin1'))).to.deep.equal({ key: 'file.notUtf8' });
      expect(problemOf('id,note\n1,ok\n2,"never closed\n3,x\n')).to.deep.equal({ key: 'file.malformed', params: { line: 4 } });
    });

    it(`When the file has more than ${MAX_ROWS} rows, then it is refused as a whole`, () => {
      const lines = Array.from({ length: MAX_ROWS + 1 }, (_, i) => `${i + 1},x`);
      expect(problemOf(`id,x\n${lines.join('\n')}\n`)).to.deep.equal({ key: 'file.tooManyRows', params: { max: MAX_ROWS } });
      const exactly = readCsv(Buffer.from(`id,x\n${lines.slice(1).join('\n')}\n`));
      expect(exactly.ok && exactly.table.rows.length).to.equal(MAX_ROWS);
      expect(problemOf('id\n1\n2\n3\n', { maxRows: 2 })).to.deep.equal({ key: 'file.tooManyRows', params: { max: 2 } });
    });
  });

  describe('checking and storing rows', () => {
    let desk: TestDesk;
    before(async () => {
      desk = await startTestDesk();
    });
    after(() => desk.cleanup());

    const count = () => (desk.db.$client.prepare('select count(*) n from orders').get() as { n: number }).n;
    const opts = (dryRun: boolean) => ({ now: Date.now(), currency: 'EUR', dryRun });

    it('When rows are checked in a dry run, then nothing is written and every bad row is reported by its line', () => {
      const t = table(
        [
          HEADER + ',Notes',
          row('101', ',ok'),
          '102,not-an-email,https://x.test/2,1000,0.50,Completed,2026-11-20,"a note',
          'on two lines"',
          row('103', ',too,many'),
          row('104', ',fine'),
        ].join('\n'),
      );
      const mapping = detectMapping(t.headers);
      const result = importRows(desk.db, t, mapping, opts(true));
      expect(count()).to.equal(0);
      expect(result).to.include({ rows: 4, created: 2, updated: 0, unchanged: 0 });
      expect(result.errors).to.deep.equal([
        { line: 3, fields: { customerEmail: { key: 'email.invalid' } } },
        { line: 5, fields: {}, row: { key: 'row.columns', params: { found: 9, expected: 8 } } },
      ]);
      expect(result.preview[1]).to.deep.equal({
        line: 3,
        values: {
          id: '102',
          customerEmail: 'not-an-email',
          link: 'https://x.test/2',
          quantity: '1000',
          charge: '0.50',
          status: 'Completed',
          createdAt: '2026-11-20',
        },
      });
      const t_en = translator('en');
      expect(lineMessages(t_en, result.errors[0]!)).to.deep.equal([
        { field: 'customerEmail', message: 'Enter a valid email address, like name@example.com.' },
      ]);
      expect(lineMessages(t_en, result.errors[1]!)[0]!.field).to.equal('row');
    });

    it('When rows are stored in batches, then errors past the first batch keep their line, and a second import changes nothing', () => {
      const rows = Array.from({ length: 2500 }, (_, i) => row(String(200_000 + i)));
      rows[1999] = '201999,bad@,https://x.test,1,1,Completed,2026-11-20'; // line 2001
      const t = table(`${HEADER}\n${rows.join('\n')}\n`);
      const mapping = detectMapping(t.headers);
      const first = importRows(desk.db, t, mapping, opts(false));
      expect(first).to.include({ created: 2499, updated: 0, unchanged: 0 });
      expect(first.errors.map((e) => e.line)).to.deep.equal([2001]);
      expect(count()).to.equal(2499);
      const stored = desk.db.$client.prepare("select currency, charge_micros, status from orders where id = '200000'").get();
      expect(stored).to.deep.equal({ currency: 'EUR', charge_micros: 500_000, status: 'completed' });

      const again = importRows(desk.db, t, mapping, opts(false));
      expect(again).to.include({ created: 0, updated: 0, unchanged: 2499 });
      expect(count()).to.equal(2499);
    });
  });

  describe('saved uploads', () => {
    let dir: string;
    before(() => {
      dir = importsDir(fs.mkdtempSync(path.join(os.tmpdir(), 'refunddesk-imports-')));
    });
    after(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

    it('When an upload is saved, then only its random token reads it back, and claiming it deletes it once', async () => {
      const token = await saveImport(dir, Buffer.from('a,b\n'));
      expect(token).to.match(/^[\w-]{43}$/);
      expect(fs.readdirSync(dir)).to.deep.equal([`${token}.csv`]);
      expect((await readImport(dir, token))!.toString()).to.equal('a,b\n');
      const traversal = await readImport(dir, '../../etc/passwd').then(
        () => 'read',
        (err: Error) => err.message,
      );
      expect(traversal).to.equal('bad import token');
      expect(await claimImport(dir, token)).to.equal(true);
      expect(await claimImport(dir, token)).to.equal(false);
      expect(await readImport(dir, token)).to.equal(null);
    });

    it('When stale uploads are purged, then files older than a day go and fresh and foreign files stay', async () => {
      const old = await saveImport(dir, Buffer.from('old'));
      const fresh = await saveImport(dir, Buffer.from('fresh'));
      fs.writeFileSync(path.join(dir, 'keep-me.txt'), 'x');
      const now = Date.now();
      const dayAgo = new Date(now - 25 * 3_600_000);
      fs.utimesSync(path.join(dir, `${old}.csv`), dayAgo, dayAgo);
      expect(await purgeStaleImports(dir, now)).to.equal(1);
      expect(fs.readdirSync(dir).sort()).to.deep.equal([`${fresh}.csv`, 'keep-me.txt'].sort());
      expect(await purgeStaleImports(path.join(dir, 'missing'), now)).to.equal(0);
    });
  });
});
