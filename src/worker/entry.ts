// Entry of a process the master forked: reads its worker id and config from the environment and runs the worker.
import { createRootLogger } from '../log/logger.ts';
import { takeConfigFromEnv, WORKER_ID_ENV } from './messages.ts';
import { runSupervisedWorker } from './supervised.ts';

export async function runWorkerProcess(): Promise<void> {
  const workerId = Number(process.env[WORKER_ID_ENV] ?? '0');
  delete process.env[WORKER_ID_ENV];
  // Asynchronous writes: access-log lines must not block requests. The worker awaits them before it exits.
  const root = createRootLogger({ role: 'worker', worker: workerId }, { sync: false });
  await runSupervisedWorker(takeConfigFromEnv(process.env), root, workerId);
}
