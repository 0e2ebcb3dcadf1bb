// Answers a JSON POST with the body it read.
export async function POST(request) {
  const body = await request.json();
  return Response.json({ received: body, method: request.method });
}
