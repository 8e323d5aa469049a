import type { Hono } from 'hono';
import type { Db } from '../db/types.js';
import type { Dispatcher } from '../delivery/dispatcher.js';
import type { FlowServices } from '../flows/types.js';
import type { InboundPipeline } from '../platforms/types.js';
import type { SignedLinks } from './signed-links.js';

export interface AreaDeps {
  db: Db;
  links: SignedLinks;
  pipeline: InboundPipeline;
  dispatcher: Dispatcher;
  services: FlowServices;
  now: () => Date;
}

/** Routes owned by product areas (H5 receipt pages, dashboard JSON API …), mounted by createRuntime. */
export function areaRoutes(_deps: AreaDeps): { path: string; app: Hono }[] {
  return [];
}
