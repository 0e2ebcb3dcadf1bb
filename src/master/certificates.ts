// The master's part in HTTPS: real ports for https listeners given port 0, and the ACME certificate kept by the master and handed to every worker over IPC.
import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import type { Config } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import { listen } from '../http/listen.ts';
import { challengesFor } from '../acme/challenges.ts';
import { ACME_CERTIFICATE_ENV, isAcmeAckMessage, type AcmeServing, type AcmeStateMessage } from '../acme/messages.ts';
import type { Publisher } from '../acme/manager.ts';

/** How long a publish waits for workers to acknowledge a state before it goes on without the slow ones. */
const ACK_TIMEOUT_MS = 3000;

/** Test-binds every https address, as the http ones are: exit 2 before any fork, and port 0 made one port for all workers. */
export async function resolveHttpsPorts(config: Config): Promise<Config> {
  if (config.https === undefined) return config;
  const https = [];
  for (const listener of config.https) {
    const probe = createServer();
    await listen(probe, listener.address, 'https');
    const bound = probe.address();
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const { address } = listener;
    const port =
      address.kind === 'tcp' && address.port === 0 && typeof bound === 'object' && bound !== null
        ? bound.port
        : undefined;
    https.push(
      port === undefined || address.kind !== 'tcp'
        ? listener
        : { ...listener, address: { ...address, port, text: address.text.replace(/:0$/, `:${port}`) } },
    );
  }
  return { ...config, https };
}

/**
 * Sends each ACME state to every worker and waits (bounded) for their acknowledgements. A worker forked later
 * inherits the current certificate in its environment, and is sent the latest state again once it listens (in case
 * the certificate changed in between).
 */
function workerPublisher(log: Logger): Publisher & { close(): void } {
  let seq = 0;
  let latest: AcmeStateMessage | undefined;
  const waiting = new Map<number, { pending: Set<number>; done: () => void }>();
  const send = (worker: Worker, message: AcmeStateMessage) => {
    if (worker.isConnected()) worker.send(message);
  };
  const settle = (workerId: number, onlySeq?: number) => {
    for (const [number, wait] of waiting) {
      if (onlySeq !== undefined && number !== onlySeq) continue;
      wait.pending.delete(workerId);
      if (wait.pending.size === 0) wait.done();
    }
  };
  const onMessage = (worker: Worker, message: unknown) => {
    if (isAcmeAckMessage(message)) settle(worker.id, message.seq);
  };
  const onListening = (worker: Worker) => {
    if (latest !== undefined) send(worker, latest);
  };
  const onExit = (worker: Worker) => settle(worker.id);
  cluster.on('message', onMessage);
  cluster.on('listening', onListening);
  cluster.on('exit', onExit);
  return {
    publish(state: AcmeServing) {
      const message: AcmeStateMessage = { type: 'corral:acme-state', seq: ++seq, ...state };
      latest = message;
      // Workers forked from now on inherit it (see ACME_CERTIFICATE_ENV).
      if (state.certificate !== undefined) process.env[ACME_CERTIFICATE_ENV] = JSON.stringify(state.certificate);
      const workers = Object.values(cluster.workers ?? {}).filter(
        (worker): worker is Worker => worker?.isConnected() === true,
      );
      if (workers.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          const late = [...(waiting.get(message.seq)?.pending ?? [])];
          log.warn(
            { workers: late },
            'ACME state: some workers did not confirm in time (they get it when they listen again)',
          );
          finish();
        }, ACK_TIMEOUT_MS);
        const finish = () => {
          clearTimeout(timer);
          waiting.delete(message.seq);
          resolve();
        };
        waiting.set(message.seq, { pending: new Set(workers.map((worker) => worker.id)), done: finish });
        for (const worker of workers) send(worker, message);
      });
    },
    close() {
      cluster.off('message', onMessage);
      cluster.off('listening', onListening);
      cluster.off('exit', onExit);
      for (const wait of waiting.values()) wait.done();
    },
  };
}

/** Resolves when the first worker reports ready: from then on challenges can be answered. */
function firstWorkerReady(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (_worker: Worker, message: unknown) => {
      if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'corral:ready') {
        cluster.off('message', onMessage);
        resolve();
      }
    };
    cluster.on('message', onMessage);
  });
}

/**
 * Starts keeping the ACME certificate in the master (only it talks to the ACME server); `onFatal` is called when
 * corral has no certificate and cannot get one. Returns a function that stops the renewals.
 */
export async function startCertificates(
  config: Config,
  log: Logger,
  onFatal: (message: string) => void,
): Promise<() => void> {
  const acme = config.acme;
  if (acme === undefined) return () => {};
  const ready = firstWorkerReady();
  // Imported only with ACME: acme-client and its dependencies cost start-up time otherwise spent for nothing.
  const { CertificateManager } = await import('../acme/manager.ts');
  const publisher = workerPublisher(log.child({ part: 'acme' }));
  const manager = new CertificateManager({
    acme,
    challenges: challengesFor(config),
    log: log.child({ part: 'acme' }),
    publisher,
    onFatal,
  });
  const loading = manager.load().then(async (served) => {
    if (served) return;
    await ready;
    await manager.obtainFirst();
  });
  loading.catch((err: unknown) => onFatal(`ACME: ${err instanceof Error ? err.message : String(err)}`));
  return () => {
    manager.stop();
    publisher.close();
  };
}
