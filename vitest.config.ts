import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@linli/source'] },
  ssr: { resolve: { conditions: ['@linli/source'], externalConditions: ['@linli/source'] } },
  test: {
    // web/e2e: the booking client in Chromium against a real demo federation.
    include: ['{subgraphs,gateway,schema,infra,bench}/**/src/**/*.test.ts', 'schema/**/*.test.ts', 'web/{src,codegen,e2e}/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    setupFiles: ['reflect-metadata'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
