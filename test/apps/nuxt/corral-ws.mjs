// Glue for corral, outside the build: Nitro's node-listener entry exports its WebSocket hooks (`websocket`, a crossws
// options object) but no upgrade handler; crossws's Node adapter turns them into one, exported as `upgrade`.
import nodeAdapter from 'crossws/adapters/node'
import { listener, websocket } from './.output/server/index.mjs'

const ws = nodeAdapter(websocket)

export default listener

export function upgrade(req, socket, head) {
  ws.handleUpgrade(req, socket, head)
}
