// Bundles the app's module and what it imports into one CommonJS file with esbuild, for the executable to load.
import path from 'node:path';
import type { Message } from 'esbuild';
import type { Esbuild } from '../app/esbuild-load.ts';
import { ConfigError } from '../errors/corral-error.ts';
import { BANNER, packPlugin, type PluginContext } from './bundle-plugin.ts';

export interface BundleResult {
  readonly code: Buffer;
  readonly inputs: number;
}

/** The bundle of `moduleFile`; refusals and build errors become one ConfigError (exit 2) listing each with where. */
export async function bundleApp(esbuild: Esbuild, moduleFile: string, context: PluginContext): Promise<BundleResult> {
  try {
    const result = await esbuild.build({
      entryPoints: [moduleFile],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      write: false,
      outfile: 'app.cjs',
      metafile: true,
      banner: { js: BANNER },
      // Less source for each worker to parse and keep; names stay, so stack traces stay readable.
      minifyWhitespace: true,
      minifySyntax: true,
      legalComments: 'none',
      logLevel: 'silent',
      absWorkingDir: context.root,
      plugins: [packPlugin(context)],
    });
    const output = result.outputFiles[0];
    if (output === undefined) throw new ConfigError('corral pack: esbuild produced no output', 'CORRAL_PACK');
    return { code: Buffer.from(output.contents), inputs: Object.keys(result.metafile.inputs).length };
  } catch (error) {
    const messages = (error as { errors?: Message[] }).errors;
    if (messages === undefined) throw error;
    throw new ConfigError(
      `corral pack: the app cannot be packed:\n${messages.map((message) => `  ${describe(message, context.root)}`).join('\n')}`,
      'CORRAL_PACK',
    );
  }
}

function describe(message: Message, root: string): string {
  const where =
    message.location === null
      ? ''
      : `${path.relative(process.cwd(), path.resolve(root, message.location.file))}:${message.location.line}: `;
  if (/top-level await/i.test(message.text))
    return (
      `${where}top-level await cannot be packed (the app is bundled as CommonJS): move the awaited start-up ` +
      'into an async function the app awaits on its first request, or export a promise-free handler'
    );
  return `${where}${message.text}`;
}
