// A file imported as a person imports it: written to disk, read by the background job (the
// one way a file is imported), the report awaited. The file goes when the job ends.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CoreApp } from '../../src/app/app';
import type { ImportFormat, ImportReport } from '../../src/shared/schemas';

export async function importContent(app: CoreApp, fileName: string, content: string | Uint8Array, format?: ImportFormat): Promise<ImportReport> {
  const dir = mkdtempSync(join(tmpdir(), 'vedetta-import-'));
  const path = join(dir, fileName);
  writeFileSync(path, content);
  try {
    return await app.importFile({ path, fileName, ...(format ? { format } : {}) }).done;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
