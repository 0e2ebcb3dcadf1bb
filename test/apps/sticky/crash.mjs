// Answers with its pid; /crash answers, then ends the worker (as a crash would).
export default function app(req, res) {
  if (req.url === '/crash') {
    res.end('bye', () => process.exit(1));
    return;
  }
  res.end(String(process.pid));
}
