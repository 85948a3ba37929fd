// npm run token -- create --name panel --scopes orders:write,tickets:read
// npm run token -- list
// npm run token -- revoke <id>
import { createApiToken, listApiTokens, parseScopes, revokeApiToken, SCOPES } from '../api/tokens';
import { parseArgs, runCli, UsageError, withCli } from './context';

const USAGE = `Usage:
  npm run token -- create --name <name> --scopes <scope,scope>
  npm run token -- list
  npm run token -- revoke <id>
Scopes: ${SCOPES.join(', ')}`;

function iso(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

await runCli(async () => {
  const [command, ...rest] = process.argv.slice(2);
  const { flags, positional } = parseArgs(rest);
  if (command === 'create') {
    const name = typeof flags.name === 'string' ? flags.name.trim() : '';
    const scopes = typeof flags.scopes === 'string' ? parseScopes(flags.scopes) : null;
    if (!name || !scopes) throw new UsageError(USAGE);
    return withCli(({ db }) => {
      const { id, token } = createApiToken(db, name, scopes, Date.now());
      console.log(`Token ${id} "${name}" created with scopes ${scopes.join(', ')}.`);
      console.log('Copy it now; it is not stored and will not be shown again:\n');
      console.log(token);
      return 0;
    });
  }
  if (command === 'list') {
    return withCli(({ db }) => {
      for (const t of listApiTokens(db)) {
        const state = t.revokedAt === null ? 'active' : `revoked ${iso(t.revokedAt)}`;
        console.log(`${t.id}\t${t.name}\t${t.scopes}\tcreated ${iso(t.createdAt)}\tlast used ${iso(t.lastUsedAt)}\t${state}`);
      }
      return 0;
    });
  }
  if (command === 'revoke') {
    const id = Number(positional[0]);
    if (!Number.isSafeInteger(id) || id <= 0) throw new UsageError(USAGE);
    return withCli(({ db }) => {
      if (!revokeApiToken(db, id, Date.now())) {
        console.error(`No active token ${id}.`);
        return 1;
      }
      console.log(`Token ${id} revoked.`);
      return 0;
    });
  }
  throw new UsageError(USAGE);
});
