// Where the load generator and the servers run: separate CPUs (taskset) when there are at least 2, else shared.

/**
 * With n >= 2 CPUs and pinning wanted: wrk on CPU 0, every server (all its processes) on CPUs 1..n-1. Each server in
 * a comparison gets the same CPUs, so a 2-worker server on a 2-CPU machine shares one CPU between its workers, as its
 * peers do. With one CPU or `pin: false`, nothing is pinned (the fields are undefined).
 */
export function planCpus(count, { pin = true } = {}) {
  if (!pin || count < 2) {
    return {
      load: undefined,
      servers: undefined,
      serverCount: count,
      text: `unpinned: wrk and the servers share the ${count} CPU(s)`,
    };
  }
  const servers = count === 2 ? '1' : `1-${count - 1}`;
  return {
    load: '0',
    servers,
    serverCount: count - 1,
    text:
      count === 2
        ? 'pinned with taskset: wrk on CPU 0, every server on CPU 1 (its 2-worker cases share that one CPU)'
        : `pinned with taskset: wrk on CPU 0, every server on CPUs ${servers}`,
  };
}
