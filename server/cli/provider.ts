// npm run provider -- set --id <id> [--name <name>] [--url <api url>] [--key <api key>]
// npm run provider -- list
// npm run provider -- test <id>      (asks the provider for its balance)
// The same as Settings → Providers, for scripts and first setup.
import { providers } from '../../db/schema';
import { microsToDecimal } from '../domain/money';
import { REF } from '../domain/order';
import { clientFor, providerConnection, saveProvider } from '../providers/connections';
import { parseArgs, runCli, UsageError, withCli } from './context';

const USAGE = `Usage:
  npm run provider -- set --id <id> [--name <name>] [--url <api url>] [--key <api key>]
  npm run provider -- list
  npm run provider -- test <id>
The key can also come from the PROVIDER_KEY environment variable, to keep it out of shell history.`;

await runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  const { flags, positional } = parseArgs(rest);
  const text = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string).trim() : undefined);
  if (command === 'set') {
    const id = text('id');
    const url = text('url');
    if (!id || !REF.test(id)) throw new UsageError(USAGE);
    if (url !== undefined && !/^https?:\/\/\S+$/.test(url)) throw new UsageError(`Not an http(s) URL: ${url}\n${USAGE}`);
    return withCli((cli) => {
      const apiKey = text('key') ?? process.env.PROVIDER_KEY;
      saveProvider(cli.db, cli.secret, { id, name: text('name'), apiUrl: url, apiKey }, Date.now());
      console.log(`Provider ${id} saved${apiKey ? ' (key stored sealed)' : ''}.`);
      return 0;
    });
  }
  if (command === 'list') {
    return withCli(({ db }) => {
      for (const p of db.select().from(providers).orderBy(providers.id).all()) {
        console.log(`${p.id}\t${p.name}\t${p.apiUrl ?? '-'}\t${p.apiKeySealed ? 'key set' : 'no key'}`);
      }
      return 0;
    });
  }
  if (command === 'test') {
    const id = positional[0];
    if (!id) throw new UsageError(USAGE);
    return withCli(async (cli) => {
      const connection = providerConnection(cli.db, cli.secret, id);
      if (!connection) {
        console.error(`Provider ${id} has no API URL and key.`);
        return 1;
      }
      const answer = await clientFor(connection, cli.config.providerTimeoutMs).balance();
      if (!answer.ok) {
        console.error(`Provider ${id}: ${answer.kind} (${answer.code}): ${answer.message}`);
        return 1;
      }
      console.log(`Provider ${id} answered: balance ${microsToDecimal(answer.value.balanceMicros)} ${answer.value.currency ?? ""}`.trim());
      return 0;
    });
  }
  throw new UsageError(USAGE);
});
