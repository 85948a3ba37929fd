// What the CSV and XLSX writers have in common: rows go in synchronously (one
// batch of the query at a time), and between batches the export waits until
// the output has room again, so a slow reader never makes the desk buffer the file.
// (Between batches they also yield one turn of the event loop, setImmediate from
// node:timers/promises, so that other requests run.)
import type { Cell } from './columns';

export interface SheetWriter {
  header(names: readonly string[]): void;
  row(cells: readonly Cell[]): void;
  /** Resolves when the output can take more; rejects when it was closed or failed. */
  ready(): Promise<void>;
  /** Finishes the file and resolves once the output has it all. */
  end(): Promise<void>;
}

export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** A writable from Node or from an older readable-stream (exceljs's zip library uses v2). */
export type Drainable = NodeJS.EventEmitter & {
  destroyed?: boolean;
  writableEnded?: boolean;
  writableNeedDrain?: boolean;
  writableLength?: number;
  _writableState?: { needDrain?: boolean; ended?: boolean; length?: number };
};

/**
 * Waits for 'drain' when the stream's buffer is full (or, given `slack`, holds more
 * than that many bytes); a stream that closes or fails first rejects.
 */
export function drained(stream: Drainable, slack = 0): Promise<void> {
  if (stream.destroyed || stream.writableEnded || stream._writableState?.ended) return Promise.reject(new Error('export output closed'));
  const full = stream.writableNeedDrain ?? stream._writableState?.needDrain ?? false;
  if (!full || (stream.writableLength ?? stream._writableState?.length ?? 0) <= slack) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', done);
      if (err) reject(err);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('export output closed'));
    stream.on('drain', onDrain);
    stream.on('close', onClose);
    stream.on('error', done);
  });
}
