import react from '@vitejs/plugin-react';
import { createLogger, defaultClientConditions, defineConfig } from 'vite';

// TODO(issue 11): until @trax/engine-machines' main entry is browser-safe, its source imports a few
// node: modules (setlist loading, WAV writing) that the devtools never call; Vite replaces them by
// empty modules and warns once per import. Those warnings, and only those, are dropped.
const logger = createLogger('warn');
const warn = logger.warn.bind(logger);
logger.warn = (message, options) => {
  if (!/has been externalized for browser compatibility/.test(message)) warn(message, options);
};

// The devtools read `@trax/engine-machines` from source (the `@trax/source` export condition, as
// tests do), so a build never waits for the lib's own build.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  customLogger: logger,
  plugins: [react()],
  resolve: { conditions: ['@trax/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096, sourcemap: false },
});
