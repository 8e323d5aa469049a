import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { migrationsCurrent } from '../../db/migrations.js';
import type { Db } from '../../db/types.js';
import type { Metrics } from '../metrics.js';

export function healthRoutes(db: Db, metrics: Metrics): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    try {
      await db.execute(sql`select 1`);
    } catch {
      return c.json({ ok: false, database: false, migrations: false }, 503);
    }
    const current = await migrationsCurrent(db);
    return c.json({ ok: current, database: true, migrations: current }, current ? 200 : 503);
  });
  app.get('/metrics', async (c) =>
    c.text(await metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }),
  );
  return app;
}
