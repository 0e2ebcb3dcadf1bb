import type { APIRoute } from 'astro';

// Reads a JSON body and answers it back, with the method and the worker's pid.
export const POST: APIRoute = async ({ request }) => {
  const body = await request.json();
  return Response.json({ method: request.method, received: body, pid: process.pid });
};
