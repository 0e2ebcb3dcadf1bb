import { createFileRoute } from '@tanstack/react-router'

export const Route = createFileRoute('/api/echo')({
  server: {
    handlers: {
      POST: async ({ request }) => {
        const body = await request.json()
        return Response.json({ got: body, method: request.method, pid: process.pid })
      },
    },
  },
})
