// The entry point: decides this process's role (master, worker, single process, or a one-off command) and runs it.
import cluster from 'node:cluster';
import { helpText } from './cli/help.ts';
import { parseArgs } from './cli/parse.ts';
import { loadConfig } from './config/load.ts';
import type { Config } from './config/types.ts';
import { CorralError } from './errors/corral-error.ts';
import { ExitCode } from './errors/exit-codes.ts';
import { reportFatal } from './errors/report.ts';
import { createRootLogger, type RootLogger } from './log/logger.ts';
import { runMaster } from './master/master.ts';
import { WORKER_ID_ENV } from './master/pool.ts';
import { version } from './version.ts';
import { takeConfigFromEnv } from './worker/messages.ts';
import { runSingleProcess } from './worker/single.ts';
import { runSupervisedWorker } from './worker/supervised.ts';

/** Resolves with the exit code, or with undefined when the process keeps serving (a worker). */
async function main(argv: string[]): Promise<number | undefined> {
  if (cluster.isWorker) {
    const workerId = Number(process.env[WORKER_ID_ENV] ?? '0');
    delete process.env[WORKER_ID_ENV];
    const root = createRootLogger({ role: 'worker', worker: workerId });
    await runSupervisedWorker(takeConfigFromEnv(process.env), root, workerId);
    return undefined;
  }

  const command = parseArgs(argv);
  switch (command.name) {
    case 'help':
      process.stdout.write(helpText());
      return ExitCode.OK;
    case 'version':
      process.stdout.write(`corral ${version} (node ${process.version})\n`);
      return ExitCode.OK;
    case 'check': {
      const { config, warnings } = loadConfig({ ...command, env: process.env, cwd: process.cwd() });
      for (const warning of warnings) process.stderr.write(`corral: warning: ${warning}\n`);
      process.stdout.write(`${JSON.stringify(config, null, 2)}\n`);
      return ExitCode.OK;
    }
    case 'serve': {
      const { config, warnings } = loadConfig({ ...command, env: process.env, cwd: process.cwd() });
      const root = createRootLogger({ role: config.master ? 'master' : 'single' });
      for (const warning of warnings) root.log.warn(warning);
      logStartup(root, config);
      try {
        if (config.chdir !== undefined) process.chdir(config.chdir);
        return config.master ? await runMaster(config, root, workerExecArgv()) : await runSingleProcess(config, root);
      } finally {
        root.flush();
      }
    }
  }
}

/** Node flags for workers: the master's own, except inside a single executable, whose baked-in flags must not leak. */
function workerExecArgv(): string[] {
  const sea = process.getBuiltinModule?.('node:sea') as { isSea?: () => boolean } | undefined;
  return sea?.isSea?.() === true ? [] : process.execArgv;
}

function logStartup(root: RootLogger, config: Config): void {
  root.log.info(
    {
      version,
      node: process.version,
      config: config.source,
      http: config.http.map((address) => address.text),
      staticMap: config.staticMap.map((mount) => `${mount.prefix}=${mount.dir}`),
      module: config.module === undefined ? undefined : `${config.module.file}${config.module.exportName === undefined ? '' : `:${config.module.exportName}`}`,
      processes: config.master ? config.processes : 1,
      master: config.master,
    },
    'corral starting',
  );
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof CorralError) {
      reportFatal(err.message);
      process.exit(err.exitCode);
    }
    reportFatal(`unexpected failure: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    process.exit(ExitCode.RUNTIME);
  },
);
