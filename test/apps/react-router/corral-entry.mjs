// The glue corral loads (--module corral-entry.mjs). React Router's server build (build/server/index.js) is a build
// object, not a handler: react-router's createRequestHandler turns it into a fetch handler (Request -> Response),
// which corral serves as a `{ fetch }` app. (createRequestListener from @react-router/node would give a Node
// listener instead, but its request conversion fails on HTTP/2's pseudo-headers, so every h2 request got a 500.)
import { createRequestHandler } from "react-router";
import * as build from "./build/server/index.js";

const handleRequest = createRequestHandler(build, process.env.NODE_ENV);

export default {
  fetch: (request) => handleRequest(request),
};
