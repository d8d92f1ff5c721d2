// `vedetta users add|list`: people set up from the command line (the first admin on a server,
// the test suites). The password never goes on the command line (history, ps): it is read
// from VEDETTA_PASSWORD, or else from the first line of standard input.
import { mkdirSync } from 'node:fs';
import { z } from 'zod';
import { DisplayNameSchema, PasswordSchema, RoleSchema, ROLES, UsernameSchema, type User } from '../shared/auth';
import { ApiError, zodDetails } from '../shared/contract';
import { openApp } from '../app/app';
import { resolveDataDir } from '../server/user-data';
import { errorLanguage, renderText } from '../shared/errors';
import { parseWorded, zodIssueCode } from '../core/ingest/zod-it';
import { errorText, nodePlatform, parse, said, stderrLogger, UsageError, type CliIo } from './io';

/** The usage lines of `vedetta users`, in the language the command line runs in. */
export const usersHelp = (): string => renderText('help.usersUsage');
const usersDetail = (): string => renderText('help.usersDetail', { roles: ROLES.join(', ') });

/** Built when used: its own message is worded in the language the command runs in. */
const addSchema = () =>
  z.object({
    username: UsernameSchema,
    displayName: DisplayNameSchema,
    password: PasswordSchema,
    roles: z.array(RoleSchema).min(1, renderText('output.noRoles')),
  });

export async function usersCommand(args: string[], env: NodeJS.ProcessEnv, io: CliIo, stdin: () => Promise<string>): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === 'help') {
    io.out(`${usersHelp()}\n\n${usersDetail()}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub === 'add') {
    const { values, positionals } = parse(rest, { role: { type: 'string', multiple: true }, name: { type: 'string' }, data: { type: 'string' } }, 1);
    const password = env.VEDETTA_PASSWORD ?? (await stdin()).split(/\r?\n/)[0] ?? '';
    const username = positionals[0] ?? '';
    const parsed = parseWorded(addSchema(), { username, displayName: values.name ?? username, password, roles: values.role ?? [] }, errorLanguage());
    if (!parsed.success) throw new UsageError('cli.usersInvalid', {}, { details: zodDetails(parsed.error, zodIssueCode) });
    const dataDir = resolveDataDir(values.data, { env });
    mkdirSync(dataDir, { recursive: true });
    const app = openApp({ platform: nodePlatform(dataDir, stderrLogger(io)), mode: 'cli' });
    try {
      // Through the dispatcher, as the system actor: it writes the users.create audit row.
      const user = (await app.dispatch('users.create', { ...parsed.data, roles: [...new Set(parsed.data.roles)] })) as User;
      io.out(said('output.userCreated', { username: user.username, name: user.displayName, roles: user.roles.join(', ') }));
      return 0;
    } catch (e) {
      if (e instanceof ApiError) {
        io.err(errorText(e, errorLanguage()));
        return 1;
      }
      throw e;
    } finally {
      app.close();
    }
  }
  if (sub === 'list') {
    const { values } = parse(rest, { format: { type: 'string', default: 'text' }, data: { type: 'string' } }, 0);
    if (values.format !== 'text' && values.format !== 'json') throw new UsageError('cli.formatTextJson');
    const dataDir = resolveDataDir(values.data, { env });
    mkdirSync(dataDir, { recursive: true });
    const app = openApp({ platform: nodePlatform(dataDir, stderrLogger(io)), mode: 'cli' });
    try {
      const users = app.auth.list();
      if (values.format === 'json') io.out(`${JSON.stringify(users)}\n`);
      else for (const u of users) io.out(`${u.username}\t${u.displayName}\t${u.roles.join(',')}${u.disabled ? `\t${renderText('output.userDisabled')}` : ''}\n`);
      return 0;
    } finally {
      app.close();
    }
  }
  throw new UsageError('cli.usersUnknown', { sub });
}

/** The whole of standard input, or '' when it is a terminal nobody types into. */
export function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => (text += d));
    process.stdin.on('end', () => resolve(text));
    process.stdin.on('error', reject);
  });
}
