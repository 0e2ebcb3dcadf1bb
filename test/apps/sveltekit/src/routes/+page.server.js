import { fail } from '@sveltejs/kit';

/** @type {import('./$types').PageServerLoad} */
export function load() {
	return { renderedBy: 'sveltekit', pid: process.pid };
}

/** @type {import('./$types').Actions} */
export const actions = {
	greet: async ({ request }) => {
		const data = await request.formData();
		const name = data.get('name');
		if (typeof name !== 'string' || name === '') return fail(400, { missing: true });
		return { greeting: `Hello, ${name}!` };
	}
};
