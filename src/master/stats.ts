// The master's stats: the aggregator fed by the workers' `corral:stats` reports and the pool's exits, and the stats server that serves its snapshots.
import cluster, { type Worker } from 'node:cluster';
import type { ListenAddress, StatsConfig } from '../config/types.ts';
import type { Logger } from '../log/logger.ts';
import { StatsAggregator, type WorkerExit } from '../stats/aggregate.ts';
import { CertificateList } from '../stats/certificates.ts';
import { dashboardPage } from '../stats/dashboard.ts';
import { METRICS_CONTENT_TYPE, metricsText } from '../stats/metrics-text.ts';
import { startStatsServer, type StatsServer } from '../stats/server.ts';
import type { StatsSnapshot } from '../stats/snapshot.ts';
import { version } from '../version.ts';
import { isWorkerMessage } from '../worker/messages.ts';
import type { WorkerPool } from './pool.ts';
import type { MasterState } from './reload.ts';

/** An address as the config writes it, with the port the master resolved for port 0. */
function listenerName(address: ListenAddress): string {
  return address.kind === 'tcp' ? address.text.replace(/:\d+$/, `:${address.port}`) : address.text;
}

export class MasterStats {
  private readonly aggregator = new StatsAggregator();
  private readonly certificates = new CertificateList();
  private readonly startedAt = Date.now();
  private server: StatsServer | undefined;
  private page: string | undefined;
  private readonly onMessage = (_worker: Worker, message: unknown) => {
    if (isWorkerMessage(message) && message.type === 'corral:stats') this.aggregator.addReport(message.report);
  };

  constructor(private readonly state: MasterState) {
    cluster.on('message', this.onMessage);
  }

  workerExited(slotId: number, exit: WorkerExit, replaced: boolean): void {
    this.aggregator.workerExited(slotId, exit, replaced);
  }

  /** Binds the stats address (before the workers are forked: a bad address stops corral with exit 2). */
  async listen(config: StatsConfig, pool: WorkerPool, log: Logger): Promise<void> {
    const snapshot = () => this.snapshot(pool);
    this.server = await startStatsServer(
      config,
      {
        dashboard: () => (this.page ??= dashboardPage()),
        json: () => JSON.stringify(snapshot()),
        metrics: () => {
          const taken = snapshot();
          const totals = this.aggregator.counterTotals();
          return metricsText(taken, {
            histogram: this.aggregator.histogramTotals(),
            exitsByReason: this.aggregator.exitsByReason(),
            exceptions: totals.exceptions,
            tx: totals.tx,
            masterStartTime: Math.floor(this.startedAt / 1000),
          });
        },
        metricsType: METRICS_CONTENT_TYPE,
      },
      log,
    );
  }

  snapshot(pool: WorkerPool): StatsSnapshot {
    const { config, http } = this.state;
    const listeners = [
      ...http.map((address) => ({ name: listenerName(address), proto: 'http' as const })),
      ...(config.https ?? []).map((listener) => ({ name: listenerName(listener.address), proto: 'https' as const })),
    ];
    return this.aggregator.snapshot({
      now: Date.now(),
      slots: pool.slotViews(),
      listeners,
      certificates: this.certificates.list(config),
      version,
      masterStartedAt: this.startedAt,
    });
  }

  async close(): Promise<void> {
    cluster.off('message', this.onMessage);
    await this.server?.close();
  }
}
