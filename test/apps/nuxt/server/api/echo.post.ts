// Answers the JSON body it was sent, with the pid of the worker that read it.
export default defineEventHandler(async (event) => {
  const body = await readBody(event)
  return { received: body, pid: process.pid }
})
