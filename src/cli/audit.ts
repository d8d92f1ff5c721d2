// `vedetta audit verify|export`: the audit log from the command line, read-only, so it also
// works beside a running instance. verify exits 0 with the count, 1 naming the first broken row.
import { closeSync, existsSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DB_FILE } from '../app/app';
import { ANCHOR_FILE, checkAnchor, loadOrCreateAnchorKey, readAnchorKey, signAnchor, toVerifyResult, writeAnchor, writeAuditCsv } from '../core/audit';
import { AuditRepo } from '../core/store/audit-repo';
import { AuditQuery } from '../core/store/audit-query';
import { openDatabase, type Db } from '../core/store/db';
import { migrations, schemaVersion } from '../core/store/migrations';
import { resolveDataDir } from '../server/user-data';
import { parse, said, UsageError, type CliIo } from './io';
import { renderText } from '../shared/errors';

/** The usage lines of `vedetta audit`, in the language the command line runs in. */
export const auditHelp = (): string => renderText('help.auditUsage');

function openAudit(dataDir: string, io: CliIo): Db | null {
  if (!existsSync(join(dataDir, DB_FILE))) {
    io.err(said('cli.noAudit', { dir: dataDir }));
    return null;
  }
  const db = openDatabase(join(dataDir, DB_FILE), { readonly: true });
  const auth = migrations.find((m) => m.name === 'auth');
  if (auth && schemaVersion(db) < auth.version) {
    db.close();
    io.err(said('cli.auditOldDb', { dir: dataDir }));
    return null;
  }
  return db;
}

export function auditCommand(args: string[], env: NodeJS.ProcessEnv, io: CliIo): number {
  const [sub, ...rest] = args;
  if (sub === 'verify') {
    const { values } = parse(rest, { data: { type: 'string' }, anchor: { type: 'string' } }, 0);
    const dataDir = resolveDataDir(values.data, { env });
    const db = openAudit(dataDir, io);
    if (!db) return 1;
    try {
      const repo = new AuditRepo(db);
      // The data folder's anchor, or a copy exported elsewhere (signed with the same key).
      const anchorPath = values.anchor ? resolve(values.anchor) : join(dataDir, ANCHOR_FILE);
      if (values.anchor && !existsSync(anchorPath)) throw new UsageError('cli.auditAnchorMissing', { file: anchorPath });
      const v = toVerifyResult(repo.verify(), checkAnchor(anchorPath, readAnchorKey(dataDir), repo.head(), (id) => repo.hashOf(id)));
      if (v.broken) {
        const b = v.broken;
        io.out(said('output.auditBroken', { id: b.id, at: new Date(b.at).toISOString(), action: b.action }));
        return 1;
      }
      const a = v.anchor;
      if (a.state === 'truncated') {
        const at = new Date(a.anchoredAt).toISOString();
        io.out(said('output.auditTruncated', { at, anchored: a.anchoredEntries, anchoredLast: a.anchoredLastId, last: a.lastId, entries: a.entries }));
        return 1;
      }
      if (a.state === 'invalid') {
        io.out(said('output.auditBadAnchor', { file: anchorPath }));
        return 1;
      }
      io.out(said('output.auditOk', { n: v.entries }));
      if (a.state === 'ok') {
        io.out(said('output.auditAnchorOk', { at: new Date(a.anchoredAt).toISOString(), n: a.anchoredEntries, more: a.newer > 0 ? 'output.auditNewer' : '', newer: a.newer }));
      } else io.out(said('output.auditNoAnchor'));
      return 0;
    } finally {
      db.close();
    }
  }
  if (sub === 'anchor') {
    const { values } = parse(rest, { data: { type: 'string' }, out: { type: 'string' } }, 0);
    if (!values.out) throw new UsageError('cli.auditAnchorOut');
    const dataDir = resolveDataDir(values.data, { env });
    const db = openAudit(dataDir, io);
    if (!db) return 1;
    try {
      // A fresh anchor of the chain as it is now, signed with the folder's key, written where
      // whoever controls the data folder cannot reach (another disk, a share, a USB key).
      const repo = new AuditRepo(db);
      const target = resolve(values.out);
      const anchor = signAnchor(loadOrCreateAnchorKey(dataDir), repo.head(), Date.now());
      writeAnchor(target, anchor);
      io.err(said('output.auditAnchorWritten', { n: anchor.entries, last: anchor.lastId, file: target }));
      return 0;
    } finally {
      db.close();
    }
  }
  if (sub === 'export') {
    const { values } = parse(rest, { format: { type: 'string', default: 'csv' }, out: { type: 'string' }, data: { type: 'string' } }, 0);
    if (values.format !== 'csv') throw new UsageError('cli.auditFormat');
    const dataDir = resolveDataDir(values.data, { env });
    const db = openAudit(dataDir, io);
    if (!db) return 1;
    try {
      const rows = new AuditQuery(db).iterate({});
      if (!values.out) {
        const n = writeAuditCsv(rows, (c) => io.out(c));
        io.err(said('output.auditExported', { n }));
        return 0;
      }
      const target = resolve(values.out);
      const tmp = `${target}.part-${process.pid}`;
      const fd = openSync(tmp, 'w');
      let n: number;
      try {
        n = writeAuditCsv(rows, (c) => void writeSync(fd, c));
        closeSync(fd);
      } catch (e) {
        closeSync(fd);
        rmSync(tmp, { force: true });
        throw e;
      }
      renameSync(tmp, target);
      io.err(said('output.auditExportedTo', { n, file: target }));
      return 0;
    } finally {
      db.close();
    }
  }
  throw new UsageError('cli.auditUsage');
}
