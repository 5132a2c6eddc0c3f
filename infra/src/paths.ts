import { fileURLToPath } from 'node:url';

/** The repository root, whichever directory a command was started from. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const dataDir = `${repoRoot}.data`;
