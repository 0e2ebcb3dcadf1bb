// A plain HTML form post (application/x-www-form-urlencoded): greets by name, then sends the browser back home.
export default defineEventHandler(async (event) => {
  const form = await readBody<Record<string, string>>(event)
  setResponseHeader(event, 'x-signed-up', String(form.name ?? ''))
  return sendRedirect(event, '/?signed-up=' + encodeURIComponent(String(form.name ?? '')), 303)
})
