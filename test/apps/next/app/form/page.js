import { redirect } from 'next/navigation';

export const dynamic = 'force-dynamic';

// A Server Action: the form works without JavaScript (a plain multipart POST), then redirects back with the name.
async function greet(formData) {
  'use server';
  const name = String(formData.get('name') ?? '');
  redirect(`/form?greeted=${encodeURIComponent(name)}`);
}

export default async function FormPage({ searchParams }) {
  const { greeted } = await searchParams;
  return (
    <main>
      {greeted ? <p id="greeting">Hello, {greeted}!</p> : null}
      <form action={greet}>
        <input name="name" />
        <button type="submit">Greet</button>
      </form>
    </main>
  );
}
