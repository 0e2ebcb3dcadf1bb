import { Form } from "react-router";

import type { Route } from "./+types/guestbook";

export async function action({ request }: Route.ActionArgs) {
  const form = await request.formData();
  const name = String(form.get("name") ?? "").trim();
  if (name === "") return { error: "A name, please" };
  return { signed: `Thanks for signing, ${name}` };
}

export default function Guestbook({ actionData }: Route.ComponentProps) {
  return (
    <main>
      <h1>Guestbook</h1>
      <Form method="post">
        <input name="name" aria-label="name" />
        <button type="submit">Sign</button>
      </Form>
      {actionData?.signed ? <p id="signed">{actionData.signed}</p> : null}
      {actionData?.error ? <p id="error">{actionData.error}</p> : null}
    </main>
  );
}
