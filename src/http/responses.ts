// corral's HTTP/1 response class, and how its responses are seen to end without a listener per request: node:http's own finish channel, and the connection's close.
import { subscribe } from 'node:diagnostics_channel';
import { type IncomingMessage, ServerResponse } from 'node:http';
import { RECORD, responseClosed, type InFlightNode } from './in-flight.ts';

/**
 * The response class of corral's own HTTP/1 servers (createServer's `ServerResponse` option; `Http1ServerResponse`
 * for the HTTP/1.1 fallback of an HTTP/2 listener): node:http's, with the field that points to its pipeline record
 * there from the constructor, so that setting it changes no response's shape. An http server the app makes itself
 * keeps Node's class.
 *
 * Its end is not seen through its own methods: an app may give the response another prototype (Express does, for
 * every request), and a 'close' listener per request is what this replaces. node:http publishes every response that
 * finishes on the `http.server.response.finish` channel, before it hands the socket to the next pipelined response;
 * a response cut short is the one its socket still holds when the socket closes (see connections.ts).
 */
export class CorralResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  [RECORD]: InFlightNode | undefined = undefined;
}

let watching = false;

/** Starts taking the finished responses from node:http's channel (once per process; a response that is not in flight is let be). */
export function watchResponses(): void {
  if (watching) return;
  watching = true;
  subscribe('http.server.response.finish', (message) =>
    responseClosed((message as { response: ServerResponse }).response),
  );
}
