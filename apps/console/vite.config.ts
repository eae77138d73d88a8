import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @kefu/console` proxies the API to a running `kefu start`
// (KEFU_API_URL, default the port used for console development).
const apiUrl = process.env.KEFU_API_URL ?? 'http://127.0.0.1:3101';

export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server serves these files; a source map helps reading errors agents report.
    sourcemap: true,
    chunkSizeWarningLimit: 800,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiUrl, changeOrigin: false },
      '/socket.io': { target: apiUrl, ws: true },
    },
  },
});
