import { useEffect, useState } from "react";
import { Link } from "react-router";

import type { Route } from "./+types/home";

export function meta({}: Route.MetaArgs) {
  return [{ title: "corral test app" }];
}

export async function loader({ request }: Route.LoaderArgs) {
  const name = new URL(request.url).searchParams.get("name") ?? "world";
  return { greeting: `Hello, ${name}, from the loader`, renderedBy: process.pid };
}

export default function Home({ loaderData }: Route.ComponentProps) {
  const [count, setCount] = useState(0);
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return (
    <main data-hydrated={hydrated ? "yes" : "no"}>
      <h1>{loaderData.greeting}</h1>
      <p>
        Rendered by process <span id="pid">{loaderData.renderedBy}</span>
      </p>
      <img src="/logo.svg" alt="logo" width="32" height="32" />
      <p>
        <button type="button" onClick={() => setCount((n) => n + 1)}>
          Add one
        </button>{" "}
        <span className="counter">Clicked {count} times</span>
      </p>
      <Link to="/guestbook">Guestbook</Link>
    </main>
  );
}
