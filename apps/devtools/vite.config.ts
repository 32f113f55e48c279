import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

// The devtools read `@trax/engine-machines` from source (the `@trax/source` export condition, as
// tests do), so a build never waits for the lib's own build. Its main entry is browser-safe.
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  plugins: [react()],
  resolve: { conditions: ['@trax/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 4096, sourcemap: false },
});
