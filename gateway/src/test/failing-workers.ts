/** A cluster whose workers cannot start: what workers.test.ts watches the primary handle. */
import { serveOnWorkers } from '../workers.js';

await serveOnWorkers(2, () => Promise.reject(new Error('cannot start')));
