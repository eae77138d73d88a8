import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Two IIFE bundles served by the Kefu server (apps/server/src/http/app.ts):
//   dist/widget.js  the loader an exchange puts on its pages (`vite build --mode loader`)
//   dist/app.js     the chat itself, injected by the loader when the page is idle (`--mode app`)
// One build per bundle: IIFE output cannot hold two entries.
export default defineConfig(({ mode }) => {
  const loader = mode === 'loader';
  return {
    plugins: loader ? [] : [preact({ devToolsEnabled: false, prefreshEnabled: false })],
    define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    build: {
      outDir: 'dist',
      // The app builds first and clears the folder; the loader is added next to it.
      emptyOutDir: !loader,
      target: 'es2020',
      sourcemap: true,
      reportCompressedSize: true,
      lib: {
        entry: loader ? 'src/loader.ts' : 'src/app/main.tsx',
        formats: ['iife'],
        name: loader ? 'KefuLoader' : 'KefuApp',
        fileName: () => (loader ? 'widget.js' : 'app.js'),
      },
    },
  };
});
