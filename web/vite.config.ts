import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

// In development the API runs on 8080 (`make demo`); vite proxies to it so the session
// cookie stays same-origin.
const api = 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  server: {
    proxy: {
      '/graphql': { target: api, ws: true },
      '/auth': api,
      '/export': api,
      '/evidence': api,
    },
  },
  build: { chunkSizeWarningLimit: 2000 },
  test: { include: ['src/**/*.test.ts'] },
})
