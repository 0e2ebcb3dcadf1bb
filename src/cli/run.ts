// The one-off commands and `serve`: parse the command line, load the config, and run a master or a single process.
import { helpText } from './help.ts';
import { parseArgs } from './parse.ts';
import { loadConfig } from '../config/load.ts';
import { redactSecrets } from '../config/redact.ts';
import type { Config } from '../config/types.ts';
import { CorralError } from '../errors/corral-error.ts';
import { ExitCode } from '../errors/exit-codes.ts';
import type { RootLogger } from '../log/logger.ts';
import { openServeLog } from '../log/serve-log.ts';
import { packManifest } from '../pack/sea-assets.ts';
import { forgetPart } from '../parts.ts';
import { version } from '../version.ts';

/** Runs what `argv` asks for; resolves with the exit code. Config errors are thrown (ConfigError, exit 2). */
export async function runCommand(argv: string[]): Promise<number> {
  const command = parseArgs(argv);
  // A packed app (corral pack) runs its packed config unless the command line names another.
  const packed = packManifest();
  if (packed !== undefined && 'cliValues' in command && command.configFile === undefined) {
    const { unpack } = await import('../pack/unpack.ts');
    command.configFile = unpack(packed).configFile;
  }
  switch (command.name) {
    case 'pack': {
      const [{ parsePackArgs }, { runPack }] = await Promise.all([
        import('../pack/args.ts'),
        import('../pack/pack.ts'),
      ]);
      return runPack(parsePackArgs(command.argv));
    }
    case 'help':
      process.stdout.write(helpText());
      return ExitCode.OK;
    case 'version':
      process.stdout.write(`corral ${version} (node ${process.version})\n`);
      if (packed !== undefined)
        process.stdout.write(
          `app ${packed.app.name ?? '(no package.json)'}${packed.app.version === undefined ? '' : ` ${packed.app.version}`}\n`,
        );
      return ExitCode.OK;
    case 'check': {
      const { config, warnings } = loadConfig({ ...command, env: process.env, cwd: process.cwd() });
      for (const warning of warnings) process.stderr.write(`corral: warning: ${warning}\n`);
      process.stdout.write(`${JSON.stringify(redactSecrets(config), null, 2)}\n`);
      return ExitCode.OK;
    }
    case 'reload':
    case 'stop': {
      const { signalMaster } = await import('./signal-master.ts');
      return signalMaster(command, command.name);
    }
    case 'status': {
      const { showStatus } = await import('./status.ts');
      return showStatus(command);
    }
    case 'systemd': {
      const { printSystemdUnit } = await import('./systemd.ts');
      return printSystemdUnit(command);
    }
    case 'top': {
      const { runTop } = await import('./top.ts');
      return runTop(command);
    }
    case 'serve': {
      const { config, warnings } = loadConfig({ ...command, env: process.env, cwd: process.cwd() });
      // The library parts this process will not use are garbage from now on (src/parts.ts): acme-client is for the
      // process that talks to the ACME server, mime-db for one that serves static files (never the master), yaml
      // for a YAML config file (compiled by now if there is one: a reload reads the same file), single for the
      // single process (the front end, static files and app loader: never the master).
      if (config.acme === undefined) forgetPart('acme-client');
      if (config.master) {
        forgetPart('mime-db');
        forgetPart('single');
      }
      forgetPart('yaml');
      // stdout, or the logto file: one that cannot be opened stops the start here (exit 2).
      const serveLog = openServeLog(config);
      const { root } = serveLog;
      for (const warning of warnings) root.log.warn(warning);
      logStartup(root, config);
      try {
        if (config.master) {
          // The master never loads the app: the loader and the front end are imported by the single process only.
          const { runMaster } = await import('../master/master.ts');
          const loadAgain = () => loadConfig({ ...command, env: process.env, cwd: process.cwd() });
          return await runMaster(config, root, {
            execArgv: workerExecArgv(),
            loadConfig: loadAgain,
            reopenLog: serveLog.reopen,
          });
        }
        // A part of its own in the bundle (build/lazy-parts.mjs), with its own copy of the errors module.
        const { runSingleProcess } = await import('../worker/single.ts');
        // The one process handles SIGUSR1 itself (the master's goes through its signals table).
        process.on('SIGUSR1', () => serveLog.reopen('SIGUSR1'));
        return await runSingleProcess(config, root).catch((err: unknown) => {
          throw asCorralError(err);
        });
      } finally {
        serveLog.stop();
        root.flush();
      }
    }
  }
}

/**
 * A CorralError of the single process's part (a copy of the class, see build/lazy-parts.mjs) as one of this part's,
 * which exitWhenDone knows by `instanceof`; anything else as it is.
 */
function asCorralError(err: unknown): unknown {
  if (err instanceof CorralError || !(err instanceof Error)) return err;
  const { code, exitCode } = err as Partial<CorralError>;
  if (typeof code !== 'string' || typeof exitCode !== 'number') return err;
  const same = new CorralError(code, err.message, exitCode);
  same.name = err.name;
  if (err.stack !== undefined) same.stack = err.stack;
  return same;
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
      https: config.https?.map((listener) =>
        listener.cert === undefined ? `${listener.address.text} (ACME)` : listener.address.text,
      ),
      acmeDomains: config.acme?.domains,
      framework:
        config.framework === undefined ? undefined : `${config.framework.title} (${config.framework.evidence})`,
      staticMap: config.staticMap.map((mount) => `${mount.prefix}=${mount.dir}`),
      checkStatic: config.checkStatic.length === 0 ? undefined : config.checkStatic,
      module:
        config.module === undefined
          ? undefined
          : `${config.module.file}${config.module.exportName === undefined ? '' : `:${config.module.exportName}`}`,
      processes: config.master ? config.processes : 1,
      master: config.master,
    },
    'corral starting',
  );
}
