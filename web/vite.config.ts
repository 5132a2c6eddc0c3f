import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * `npm run dev` serves the client with hot reload and sends `/graphql` (HTTP and WebSocket)
 * and `/config.json` to the web server `npm start` runs (LINLI_WEB_URL, default
 * http://127.0.0.1:4080), which passes GraphQL on to the gateway.
 */
const upstream = process.env.LINLI_WEB_URL ?? 'http://127.0.0.1:4080';

export default defineConfig({
  plugins: [react()],
  // The gateway's explorer keeps React 18 at the root of node_modules: one React per bundle.
  resolve: { dedupe: ['react', 'react-dom'] },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/graphql': { target: upstream, ws: true },
      '/config.json': { target: upstream },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
  },
});
