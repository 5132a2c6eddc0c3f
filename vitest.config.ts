import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@linli/source'] },
  ssr: { resolve: { conditions: ['@linli/source'], externalConditions: ['@linli/source'] } },
  test: {
    include: ['{subgraphs,gateway,schema,infra,bench}/**/src/**/*.test.ts', 'schema/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    setupFiles: ['reflect-metadata'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
