// CSV through csv-stringify, set up once for every download of the desk: RFC 4180
// (comma separated, CRLF line ends, a field quoted when it holds a quote, comma or
// line break, quotes doubled), a UTF-8 BOM so Excel reads Arabic and Ukrainian right,
// and formula injection neutralised: text a spreadsheet would run as a formula
// (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
import { stringify, type Options, type Stringifier } from 'csv-stringify';
import { stringify as stringifySync } from 'csv-stringify/sync';

export type Cell = string | number | null | undefined;

// quote_record_delimiter: a lone \n or \r inside a field is quoted too, not only CRLF.
const OPTIONS: Options = { record_delimiter: 'windows', quote_record_delimiter: true, escape_formulas: true };

/** A stream of records (arrays of cells) to CSV text, the BOM first. */
export function csvStream(): Stringifier {
  return stringify({ ...OPTIONS, bom: true });
}

/** One record as the stream writes it, CRLF included (no BOM). */
export function csvRow(cells: readonly Cell[]): string {
  return stringifySync([[...cells]], OPTIONS);
}
