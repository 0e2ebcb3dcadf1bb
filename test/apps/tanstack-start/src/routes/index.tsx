import { createFileRoute, redirect } from '@tanstack/react-router'
import { createServerFn } from '@tanstack/react-start'

// Runs on the server only: tells which process rendered the page.
const whoRendered = createServerFn({ method: 'GET' }).handler(() => ({
  pid: process.pid,
  horses: ['Bay', 'Dun', 'Roan'],
}))

// A plain HTML form posts here (no JavaScript needed): the horse's name comes back in the address.
const nameHorse = createServerFn({ method: 'POST' })
  .validator((data: unknown) => {
    if (!(data instanceof FormData)) throw new Error('expected form data')
    return String(data.get('horse') ?? '').trim()
  })
  .handler(({ data }) => {
    throw redirect({ to: '/', search: { named: data }, statusCode: 303 })
  })

export const Route = createFileRoute('/')({
  validateSearch: (search: Record<string, unknown>): { named?: string } =>
    typeof search.named === 'string' ? { named: search.named } : {},
  loader: () => whoRendered(),
  component: Home,
})

function Home() {
  const { pid, horses } = Route.useLoaderData()
  const { named } = Route.useSearch()
  return (
    <main>
      <h1>Corral paddock</h1>
      <p id="rendered-by">rendered by {pid}</p>
      <ul>
        {horses.map((horse) => (
          <li key={horse}>{horse}</li>
        ))}
      </ul>
      {named ? <p id="named">Welcome, {named}</p> : null}
      <form action={nameHorse.url} method="post" encType="multipart/form-data">
        <input name="horse" />
        <button type="submit">Name a horse</button>
      </form>
    </main>
  )
}
