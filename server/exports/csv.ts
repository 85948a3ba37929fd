// CSV as Excel reads it in any language: UTF-8 with a BOM, RFC 4180 quoting
// (csv-stringify quotes a field holding a comma, a quote, CR or LF, and doubles
// quotes), CRLF line ends.
//
// Formula injection: a spreadsheet may run a cell that starts with = + - @ (or
// their full-width forms), a tab or a CR as a formula. Every *text* cell
// (customer text, emails, links, names, notes, translated words) that starts with
// one of these gets a leading apostrophe, which Excel and LibreOffice show as
// plain text. Amounts, dates and ratings are written by the desk itself (amounts
// are never negative) and are left exactly as they are, so they stay numbers.
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { stringify } from 'csv-stringify';
import type { Cell, CellKind } from './columns';
import { drained, type SheetWriter } from './sheet';

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(cell: Cell, kind: CellKind): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return String(cell);
  return kind === 'text' ? neutralise(cell) : cell;
}

export function csvWriter(out: Writable, kinds: readonly CellKind[]): SheetWriter {
  const stringifier = stringify({ bom: true, record_delimiter: '\r\n', quote_record_delimiter: true });
  let failure: unknown = null;
  const finished = pipeline(stringifier, out);
  finished.catch((err: unknown) => {
    failure = err;
  });
  const check = () => {
    if (failure) throw failure;
  };
  return {
    header(names) {
      stringifier.write(names.map((n) => neutralise(n)));
    },
    row(cells) {
      stringifier.write(cells.map((c, i) => csvCell(c, kinds[i] ?? 'text')));
    },
    async ready() {
      check();
      await nextTurn();
      check();
      await drained(stringifier);
    },
    async end() {
      check();
      stringifier.end();
      await finished;
    },
  };
}
