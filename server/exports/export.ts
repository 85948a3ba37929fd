// One export from the database to a writable (an HTTP response or a job's file):
// the rows in batches, each turned into cells by the column definitions, through
// the CSV or XLSX writer, waiting for the output to drain between batches.
// The caller destroys the output when this rejects.
import type { Writable } from 'node:stream';
import type { Db } from '../db';
import { audit } from '../desk/audit';
import { DIRECTION, translator } from '../i18n/index';
import { columnsFor, headersFor, wordsFor } from './columns';
import { csvWriter } from './csv';
import type { ExportRequest } from './form';
import { forEachExportRow } from './queries';
import type { SheetWriter } from './sheet';
import { loadExcel, xlsxWriter } from './xlsx';

export interface WriteOptions {
  batchSize?: number;
  /** called after each batch with the rows written so far */
  onBatch?: (rows: number) => void;
}

/** Writes the whole export and resolves with its row count once the output has it all. */
export async function writeExport(db: Db, req: ExportRequest, out: Writable, opts: WriteOptions = {}): Promise<number> {
  const words = wordsFor(translator(req.language));
  const columns = columnsFor(req.kind);
  if (req.format === 'xlsx') await loadExcel();
  const writer: SheetWriter =
    req.format === 'csv'
      ? csvWriter(
          out,
          columns.map((c) => c.kind),
        )
      : xlsxWriter(out, {
          sheetName: words.t(`exports:sheet.${req.kind}`),
          rtl: DIRECTION[req.language] === 'rtl',
          widths: columns.map((c) => c.width),
        });
  writer.header(headersFor(req.kind, words));
  const rows = await forEachExportRow(
    db,
    req.kind,
    req.filters,
    (row) => writer.row(columns.map((c) => c.value(row, words))),
    async (soFar) => {
      opts.onBatch?.(soFar);
      await writer.ready();
    },
    opts.batchSize,
  );
  await writer.end();
  return rows;
}

/** Customer data leaving the desk is an audit event: who exported what, and how many rows were estimated. */
export function recordExport(db: Db, e: { staffId: number; request: ExportRequest; rows: number; jobKey: string | null; now: number }): void {
  const { kind, format, filters, language } = e.request;
  audit(db, { ticketId: null, staffId: e.staffId, action: 'exports.requested', data: { kind, format, headers: language, filters, rows: e.rows, job: e.jobKey } }, e.now);
}
