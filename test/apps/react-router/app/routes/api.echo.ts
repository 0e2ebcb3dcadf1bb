import type { Route } from "./+types/api.echo";

// A resource route: no component, so its action's Response goes out as is.
export async function action({ request }: Route.ActionArgs) {
  const body = await request.json();
  return Response.json({ method: request.method, received: body });
}
