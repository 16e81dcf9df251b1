import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'example-destination-append',
    include: ['test/**/*.test.ts'],
  },
});
