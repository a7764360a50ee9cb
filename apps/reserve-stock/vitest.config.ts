import { defineConfig } from 'vitest/config';

// Resolve workspace packages to their TypeScript sources (the `@saga/source` export condition).
export default defineConfig({
  resolve: { conditions: ['@saga/source'] },
  ssr: { resolve: { conditions: ['@saga/source'] } },
  test: {
    include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
    environment: 'node',
    testTimeout: 20_000,
    // AWS SDK v3 warns once per process that it will need Node 22 from 2027 (Lambda runs nodejs22.x).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
