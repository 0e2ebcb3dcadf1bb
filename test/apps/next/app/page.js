import { headers } from 'next/headers';

// Rendered on every request: the page shows the request's user agent and the worker's pid.
export const dynamic = 'force-dynamic';

export default async function Home() {
  const agent = (await headers()).get('user-agent') ?? 'nobody';
  return (
    <main>
      <h1>Hello from Next.js</h1>
      <p id="agent">agent: {agent}</p>
      <p id="pid">pid: {process.pid}</p>
      <a href="/form">form</a>
    </main>
  );
}
