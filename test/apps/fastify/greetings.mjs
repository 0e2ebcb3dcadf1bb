// A Fastify plugin, as Fastify's plugin guide writes one: its own routes and a decorator, registered with a prefix.
export default async function greetings(fastify, options) {
  fastify.decorate('greeting', options.greeting);
  fastify.get('/hello/:name', async (request) => ({ message: `${fastify.greeting}, ${request.params.name}` }));
  // Inside the plugin's prefix, unknown routes get the plugin's own 404.
  fastify.setNotFoundHandler((request, reply) => {
    reply.code(404).send({ error: 'no such greeting', url: request.url });
  });
}
