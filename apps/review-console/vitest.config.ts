import { defineConfig } from 'vitest/config';

// Resolve workspace packages to their TypeScript sources (the `@saga/source` export condition).
export default defineConfig({
  resolve: { conditions: ['@saga/source'] },
  ssr: { resolve: { conditions: ['@saga/source'] } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
