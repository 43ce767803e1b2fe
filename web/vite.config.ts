import vue from '@vitejs/plugin-vue'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'
import Components from 'unplugin-vue-components/vite'
import { defineConfig } from 'vitest/config'

// In development the API runs on 8080 (`make demo`); vite proxies to it so the session
// cookie stays same-origin.
const api = 'http://127.0.0.1:8080'

export default defineConfig({
  // Element Plus components (and their styles) are imported where a page uses them, so
  // the first page an office PC loads does not carry the whole library.
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver()], dts: false })],
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
