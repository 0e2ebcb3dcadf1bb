// Builds the one-paragraph AppLoadError messages: which file, what went wrong, and which shapes corral accepts.
import { AppLoadError } from '../errors/corral-error.ts';
import { oneLine } from './describe.ts';

/** The accepted shapes, one short example each; ends every AppLoadError message. */
const ACCEPTED_SHAPES =
  'corral accepts, as the default export (or the export named by `module: file:name`): ' +
  'a fetch app (`export default { fetch: (request) => new Response("ok") }`, or a Hono app); ' +
  'a Node listener (`export default (req, res) => res.end("ok")`, or an Express/Connect app); ' +
  'a Koa app (an object whose callback() returns a listener); ' +
  'a Fastify instance (`export default fastify()`, not listened on); ' +
  'an http.Server (`export default http.createServer(listener)`, not listened on); ' +
  'a promise of one of these is awaited.';

/** An AppLoadError in one paragraph: `Cannot load the app from <file>: <what happened>. <accepted shapes>` */
export function appLoadError(file: string, what: string): AppLoadError {
  return new AppLoadError(`Cannot load the app from ${file}: ${oneLine(what).replace(/\.$/, '')}. ${ACCEPTED_SHAPES}`);
}

/** Thrown by an adapter that cannot be set up (its message is written for the user); adaptApp adds the file. */
export class AdapterSetupError extends Error {
  override name = 'AdapterSetupError';
}
