// XLSX through exceljs's streaming writer: each row is committed (turned into XML
// and handed to the zip) as soon as it is added, and strings are written inline
// rather than into a shared-strings table, which would keep every distinct text
// in memory until the end. Amounts are text cells holding the exact decimal
// string: micro-units ÷ 1e6 is not exact in binary floating point, and an export
// of money must read back exactly what was issued. A text cell is never a
// formula in XLSX (formulas are a separate cell type), so text needs no apostrophe.
import type { Writable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type ExcelJSModule from 'exceljs';

type ExcelJS = typeof ExcelJSModule;
let excel: ExcelJS | null = null;

/** exceljs is large (a quarter second and ~25 MB to load): it is loaded on the first XLSX export. */
export async function loadExcel(): Promise<void> {
  excel ??= ((await import('exceljs')) as unknown as { default: ExcelJS }).default;
}
import type { Cell } from './columns';
import { drained, type Drainable, type SheetWriter } from './sheet';

/** Characters XML 1.0 cannot carry (controls, lone surrogates): a customer's text may hold them. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** Uncompressed XML allowed to wait for the compressor, so that it and the rows overlap. */
const ZIP_SLACK = 2 * 1024 * 1024;
/** Excel's limit for one cell. */
const MAX_CELL = 32_767;

export function xlsxCell(cell: Cell): Cell {
  if (typeof cell !== 'string') return cell;
  const clean = cell.replace(NOT_XML, '\uFFFD');
  return clean.length > MAX_CELL ? clean.slice(0, MAX_CELL) : clean;
}

/**
 * exceljs hands the sheet's XML to the zip without waiting: its buffer writes
 * into the zip's input stream and ignores write()'s answer. Waiting for that
 * input to drain is what keeps a slow reader (or slow compression) from piling
 * the uncompressed sheet up in memory. Found through exceljs's internals
 * (4.4: WorksheetWriter.stream.pipes); if they move, only this wait is lost,
 * and test/http/exports-memory.test.ts says so.
 */
function zipInputs(sheet: ExcelJSModule.Worksheet): Drainable[] {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown } }).stream?.pipes;
  return Array.isArray(pipes) ? pipes.filter((p): p is Drainable => typeof (p as Drainable | null)?.on === 'function') : [];
}

/** Sheet names: at most 31 characters, none of []:*?/\ . */
function sheetName(name: string): string {
  return name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || 'Sheet1';
}

export function xlsxWriter(out: Writable, opts: { sheetName: string; rtl: boolean; widths: readonly number[] }): SheetWriter {
  let failure: unknown = null;
  const fail = (err: unknown) => {
    failure ??= err;
  };
  out.on('error', fail);
  const closed = new Promise<never>((_resolve, reject) => {
    out.once('close', () => {
      if (!out.writableFinished) reject(new Error('export output closed'));
    });
  });
  closed.catch(() => {});
  if (!excel) throw new Error('call loadExcel() before xlsxWriter()');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  (workbook as unknown as { zip: NodeJS.EventEmitter }).zip.on('error', fail);
  const sheet = workbook.addWorksheet(sheetName(opts.sheetName), {
    views: [{ state: 'frozen', ySplit: 1, rightToLeft: opts.rtl }],
  });
  sheet.columns = opts.widths.map((width) => ({ width }));
  const check = () => {
    if (failure) throw failure;
  };
  return {
    header(names) {
      const row = sheet.addRow(names.map(xlsxCell));
      row.font = { bold: true };
      row.commit();
    },
    row(cells) {
      sheet.addRow(cells.map(xlsxCell)).commit();
    },
    async ready() {
      check();
      await nextTurn();
      check();
      for (const pipe of zipInputs(sheet)) await drained(pipe, ZIP_SLACK);
      await drained(out);
    },
    async end() {
      check();
      sheet.commit();
      await Promise.race([workbook.commit(), closed]);
      check();
    },
  };
}
