// Answers with its process id after holding its event loop for 20 ms, so that a second connection must go to another worker.
export default (_req, res) => {
  const until = Date.now() + 20;
  while (Date.now() < until);
  res.end(String(process.pid));
};
