// The glue corral loads (--module corral-entry.mjs): React Router's server build is a build object, not a handler;
// @react-router/node turns it into a Node (req, res) listener.
import { createRequestListener } from "@react-router/node";
import * as build from "./build/server/index.js";

export default createRequestListener({ build });
