// npm run import:orders -- orders.csv [--dry-run] [--currency USD] [--map "Order ID=id,E-mail=customerEmail,Notes=ignore"]
// The manager page's CSV import from the command line. Exit code: 0 when every
// row was stored (or, with --dry-run, would be), 1 when some were not, 2 on a usage error.
import fs from 'node:fs';
import path from 'node:path';
import { isCurrencyCode } from '../domain/money';
import { translator } from '../i18n/index';
import { importRows, lineMessages, readCsv, recordImport } from '../orders/csv-import';
import { detectMapping, mappingProblem, ORDER_FIELDS, parseMapOption, unmatchedOverrides, type OrderField } from '../orders/csv-mapping';
import { readSettings } from '../settings/store';
import { parseArgs, runCli, UsageError, withCli } from './context';

const USAGE = `Usage:
  npm run import:orders -- <file.csv> [--dry-run] [--currency USD] [--map "Header=field,Header=ignore"]
Fields: ${ORDER_FIELDS.join(', ')}`;
const OPTIONS = new Set(['dry-run', 'currency', 'map']);

const t = translator('en');

function options(argv: string[]) {
  const { flags, positional } = parseArgs(argv);
  for (const name of Object.keys(flags)) if (!OPTIONS.has(name)) throw new UsageError(`Unknown option --${name}.\n${USAGE}`);
  // `--dry-run orders.csv`: the flag takes no value, so what follows it is the file.
  const dryRun = flags['dry-run'];
  if (typeof dryRun === 'string') positional.push(dryRun);
  if (positional.length !== 1) throw new UsageError(USAGE);
  const currency = flags.currency;
  if (currency !== undefined && (typeof currency !== 'string' || !isCurrencyCode(currency.toUpperCase()))) {
    throw new UsageError(`--currency takes a three-letter code, like USD.\n${USAGE}`);
  }
  let overrides = new Map<string, OrderField | null>();
  if (flags.map !== undefined) {
    const parsed = typeof flags.map === 'string' ? parseMapOption(flags.map) : { error: '' };
    if ('error' in parsed) throw new UsageError(`--map: cannot read "${parsed.error}"; write Header=field or Header=ignore.\n${USAGE}`);
    overrides = parsed;
  }
  return { file: positional[0]!, dryRun: dryRun !== undefined, currency: currency?.toString().toUpperCase(), overrides };
}

function readFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    throw new UsageError(`Cannot read ${file}: ${(err as Error).message}`);
  }
}

await runCli(() => {
  const opts = options(process.argv.slice(2));
  const read = readCsv(readFile(opts.file));
  if (!read.ok) {
    console.error(t(`import:${read.problem.key}`, read.problem.params ?? {}));
    return 1;
  }
  const { headers } = read.table;
  const missing = unmatchedOverrides(headers, opts.overrides);
  if (missing.length > 0) throw new UsageError(`--map names columns the file does not have: ${missing.join(', ')}.\nIts columns: ${headers.join(', ')}`);
  const mapping = detectMapping(headers, opts.overrides);
  console.log('Mapping:');
  headers.forEach((h, i) => console.log(`  ${JSON.stringify(h)} → ${mapping[i] ?? '(ignored)'}`));
  const problem = mappingProblem(mapping);
  if (problem) {
    console.error(t(`import:${problem.key}`, { fields: problem.fields.join(', ') }));
    return 1;
  }
  return withCli((cli) => {
    const now = Date.now();
    const currency = opts.currency ?? readSettings(cli.db).currency;
    const result = importRows(cli.db, read.table, mapping, { now, currency, dryRun: opts.dryRun });
    if (!opts.dryRun) recordImport(cli.db, { staffId: null, fileName: path.basename(opts.file), result, now });
    const verb = opts.dryRun ? 'Dry run, nothing written. Would create' : 'Created';
    console.log(
      `${verb} ${result.created}, ${opts.dryRun ? 'would update' : 'updated'} ${result.updated}, unchanged ${result.unchanged}; ` +
        `${result.errors.length} of ${result.rows} lines with errors.`,
    );
    for (const e of result.errors) {
      for (const m of lineMessages(t, e)) console.log(`line ${e.line}: ${m.field}: ${m.message}`);
    }
    return result.errors.length > 0 ? 1 : 0;
  });
});
