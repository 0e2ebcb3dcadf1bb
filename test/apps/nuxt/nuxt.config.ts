// The corral test app for Nuxt 4: built for Nitro's node-listener preset, whose server entry exports a Node listener.
export default defineNuxtConfig({
  compatibilityDate: '2025-07-15',
  devtools: { enabled: false },
  telemetry: false,
  routeRules: {
    '/old-home': { redirect: { to: '/', statusCode: 301 } },
  },
  nitro: {
    preset: 'node-listener',
    experimental: { websocket: true },
  },
})
