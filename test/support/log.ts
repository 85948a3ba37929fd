// A pino logger whose output is kept for the test to read: each line as written, and parsed.
import pino from 'pino';

export type LogRecord = Record<string, unknown>;

export interface CapturedLog {
  log: pino.Logger;
  /** each record as pino wrote it (one JSON line) */
  lines: string[];
  /** the same records, parsed */
  records: LogRecord[];
}

/** A logger at `level` (info unless told) that keeps what it writes. */
export function captureLog(level: pino.LevelWithSilent = 'info'): CapturedLog {
  const lines: string[] = [];
  const records: LogRecord[] = [];
  const log = pino(
    { level },
    {
      write: (line: string) => {
        lines.push(line);
        records.push(JSON.parse(line) as LogRecord);
      },
    },
  );
  return { log, lines, records };
}
