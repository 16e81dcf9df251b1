import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'dest-file',
    include: ['test/**/*.test.ts'],
  },
});
