import express, { type Router } from 'express';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ASSETS_PATH, EXPLORER_ASSETS } from './assets.js';
import { explorerPage, type ExplorerPreset } from './page.js';

export type { ExplorerPreset } from './page.js';

/**
 * GraphiQL at GET /graphql for browsers (Accept: text/html), with its files served locally
 * under /explorer/assets. Other GET /graphql requests fall through to the API.
 */
export function explorerRouter(presets: readonly ExplorerPreset[], endpoint = '/graphql'): Router {
  const router = express.Router();
  const page = explorerPage(presets, endpoint);
  router.get(endpoint, (req, res, next) => {
    if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) !== 'text/html') {
      next();
      return;
    }
    // Presets carry tokens: the page must not be cached by anything in between.
    res.set('cache-control', 'no-store').type('html').send(page);
  });
  router.get(`${ASSETS_PATH}/:name`, (req, res, next) => {
    const file = EXPLORER_ASSETS[req.params.name];
    if (!file) {
      next();
      return;
    }
    res.sendFile(file, { maxAge: '1d' });
  });
  return router;
}

const Presets = z.array(z.object({ label: z.string().min(1), token: z.string().min(1) }));

/** Reads the presets file a launcher wrote (`{ label, token }[]`). */
export function readPresets(file: string | undefined): ExplorerPreset[] {
  return file ? Presets.parse(JSON.parse(readFileSync(file, 'utf8'))) : [];
}
