// The benchmark's hello world: a plain Node request listener.
export default (_req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('hello world\n');
};
