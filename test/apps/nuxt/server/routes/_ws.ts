// A WebSocket echo (crossws hooks, needs nitro.experimental.websocket).
export default defineWebSocketHandler({
  open(peer) {
    peer.send(`hello from ${process.pid}`)
  },
  message(peer, message) {
    peer.send(`echo: ${message.text()}`)
  },
})
