// The desk's CSV writer (server/exports/csv.ts), used by the exports and the audit
// log: RFC 4180 quoting, a BOM, CRLF, and formula-safe text cells.
import { PassThrough } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import type { Cell } from '../../../server/exports/columns';
import { csvWriter } from '../../../server/exports/csv';

async function csvBytes(records: Cell[][]): Promise<Buffer> {
  const out = new PassThrough();
  const bytes = buffer(out);
  const writer = csvWriter(out, (records[0] ?? []).map(() => 'text'));
  for (const r of records) writer.row(r);
  await writer.end();
  return bytes;
}

/** One cell as the file holds it, without the BOM and the record's CRLF. */
const csvCell = async (value: Cell) => (await csvBytes([[value]])).toString('utf8').replace(/^\uFEFF/, '').replace(/\r\n$/, '');

describe('CSV cells and records', () => {
  const cells: [string, Cell, string][] = [
    ['plain text', 'ticket.created', 'ticket.created'],
    ['a number', 42, '42'],
    ['null', null, ''],
    ['a comma', 'a,b', '"a,b"'],
    ['a quote', 'say "hi"', '"say ""hi"""'],
    ['a line break', 'one\ntwo', '"one\ntwo"'],
    ['a carriage return inside', 'one\r\ntwo', '"one\r\ntwo"'],
    ['a formula', '=1+1', "'=1+1"],
    ['a plus sign first', '+31 6 1234', "'+31 6 1234"],
    ['a minus sign first', '-1', "'-1"],
    ['an at sign first', '@SUM(A1)', "'@SUM(A1)"],
    ['a tab first', '\tcmd', "'\tcmd"],
    ['a formula with a comma and quotes', '=HYPERLINK("x","y")', '"\'=HYPERLINK(""x"",""y"")"'],
    ['Arabic text', 'تذكرة مغلقة', 'تذكرة مغلقة'],
    ['a negative number (numbers are never text)', -5, '-5'],
  ];
  for (const [name, value, want] of cells) {
    it(`When a cell holds ${name}, then it is written as ${JSON.stringify(want)}`, async () => {
      expect(await csvCell(value)).to.equal(want);
    });
  }

  it('When records are streamed and read back by a CSV parser, then the BOM comes first and every value survives (formulas with their apostrophe)', async () => {
    const records = [
      ['id', 'name', 'data'],
      ['1', 'He said "hi", then\nleft', '{"a":"b,c"}'],
      ['2', '=cmd|calc', 'Українська, العربية'],
    ];
    const bytes = await csvBytes(records);
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const csv = bytes.toString('utf8');
    expect(csv.endsWith('\r\n')).to.equal(true);
    expect(csv.split('\r\n')).to.have.length(4);
    expect(parse(csv, { bom: true })).to.deep.equal([records[0], records[1], ['2', "'=cmd|calc", 'Українська, العربية']]);
  });

  it('When thousands of records are written in one batch, then they leave in several pieces and read back whole and in order', async () => {
    const out = new PassThrough();
    const pieces: Buffer[] = [];
    out.on('data', (b: Buffer) => pieces.push(b));
    const writer = csvWriter(out, ['text', 'integer', 'text']);
    const records = Array.from({ length: 3000 }, (_, i) => [`row ${i}, "quoted"`, i, i % 7 === 0 ? '=SUM(A1)' : 'Українська\nтекст']);
    for (const r of records) writer.row(r);
    await writer.end();
    expect(pieces.length).to.be.above(1);
    const back = parse(Buffer.concat(pieces).toString('utf8'), { bom: true }) as string[][];
    expect(back).to.deep.equal(records.map(([a, n, c]) => [a, String(n), c === '=SUM(A1)' ? "'=SUM(A1)" : c]));
  });
});
