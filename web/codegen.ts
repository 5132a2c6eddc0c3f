import type { CodegenConfig } from '@graphql-codegen/cli';
import { fileURLToPath } from 'node:url';
import { liveOperationsModule, supportedLiveOperations } from './codegen/live-operations.ts';

/**
 * Operation types come from the committed supergraph, never by hand: `graphql()` calls in
 * `src/` become typed documents in `src/gql/` (git-ignored; typecheck, build and dev run this).
 */
const supergraph = fileURLToPath(new URL('../schema/supergraph.graphql', import.meta.url));
const liveOperations = fileURLToPath(new URL('./src/live/subscriptions.graphql', import.meta.url));

const config: CodegenConfig = {
  overwrite: true,
  schema: supergraph,
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  silent: true,
  generates: {
    'src/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        defaultScalarType: 'unknown',
        scalars: { DateTimeISO: 'string' },
        avoidOptionals: { field: true, inputValue: false },
        skipTypeNameForRoot: true,
      },
    },
    'src/gql/live-operations.ts': {
      plugins: [{ add: { content: liveOperationsModule(supportedLiveOperations(supergraph, liveOperations)) } }],
    },
  },
};

export default config;
