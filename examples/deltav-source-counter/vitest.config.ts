import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'example-source-counter',
    include: ['test/**/*.test.ts'],
  },
});
