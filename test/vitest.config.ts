import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'packaging',
    include: ['**/*.test.ts'],
    // Installing tarballs from the registry takes longer than a unit test.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
