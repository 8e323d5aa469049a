import type { Hono } from 'hono';
import type { BurstPool, Db } from '../db/types.js';
import type { Dispatcher } from '../delivery/dispatcher.js';
import type { FlowServices } from '../flows/types.js';
import type { InboundPipeline } from '../platforms/types.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { DASHBOARD_PATH } from './routes/dashboard-scope.js';
import { h5ReceiptRoutes } from './routes/h5-receipt.js';
import { receiptsApiRoutes } from './routes/h5-receipt-api.js';
import type { ClientAddressHeader } from './client-address.js';
import type { SignedLinks } from './signed-links.js';

export interface AreaDeps {
  db: Db;
  burstPool?: BurstPool;
  links: SignedLinks;
  pipeline: InboundPipeline;
  dispatcher: Dispatcher;
  services: FlowServices;
  now: () => Date;
  clientAddressHeader?: ClientAddressHeader;
}

/** Routes owned by product areas (H5 receipt pages, dashboard JSON API …), mounted by createRuntime. */
export function areaRoutes(deps: AreaDeps): { path: string; app: Hono }[] {
  return [
    {
      path: '/h5/receipt',
      app: h5ReceiptRoutes({
        db: deps.db,
        burstPool: deps.burstPool,
        links: deps.links,
        now: deps.now,
        clientAddressHeader: deps.clientAddressHeader,
      }),
    },
    { path: '/dashboard/api/receipts', app: receiptsApiRoutes({ db: deps.db, links: deps.links, now: deps.now }) },
    {
      path: DASHBOARD_PATH,
      app: dashboardRoutes({ db: deps.db, links: deps.links, now: deps.now, timezone: deps.services.timezone }),
    },
  ];
}
