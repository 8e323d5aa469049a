import { PGlite } from '@electric-sql/pglite';
import { openPglite } from '../../src/db/client.node.js';
import { migrate } from '../../src/db/migrate.node.js';

/** A fresh in-memory PGlite with every migration applied, as a data-directory tarball. */
export async function migratedPgliteSnapshot(): Promise<Blob> {
  const client = await PGlite.create();
  await migrate(openPglite(client));
  const blob = await client.dumpDataDir('none');
  await client.close();
  return blob;
}
