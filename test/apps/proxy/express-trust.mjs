// An Express app that trusts its proxy (app.set('trust proxy', true)): safe behind corral, which removes X-Forwarded-* from untrusted peers.
import express from 'express';

const app = express();
app.set('trust proxy', true);
app.use(express.json({ limit: '10mb' }));

app.get('/who', (req, res) => {
  res.json({
    ip: req.ip,
    ips: req.ips,
    protocol: req.protocol,
    host: req.host,
    forwardedFor: req.get('x-forwarded-for') ?? null,
  });
});
app.post('/json', (req, res) => res.json({ keys: Object.keys(req.body).length }));

export default app;
