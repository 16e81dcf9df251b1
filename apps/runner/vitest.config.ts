import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'runner',
    include: ['test/**/*.test.ts'],
    // Most tests spawn the CLI, sometimes more than once; a busy machine makes each spawn slow.
    testTimeout: 30_000,
  },
});
