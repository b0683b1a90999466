/**
 * The `gateway` command. Developer tools (`listen`, `trigger`, `logs`) only talk to a running API
 * over HTTP, so they load none of the server: each side is imported when asked for (a chunk of its
 * own in the build), which keeps the tools quick to start.
 */
const DEVELOPER_COMMANDS = new Set(['listen', 'trigger', 'logs']);

async function main(argv: string[]): Promise<void> {
  const [name = 'start', ...args] = argv;
  if (DEVELOPER_COMMANDS.has(name)) {
    const { runDeveloperCommand } = await import('./devtools/index.js');
    await runDeveloperCommand(name, args);
    return;
  }
  const { limitHeapGrowth } = await import('./processes/heap-growth.js');
  limitHeapGrowth();
  const { runGatewayCommand } = await import('./processes/gateway-commands.js');
  await runGatewayCommand(argv);
}

main(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`gateway: ${err.message}\n`);
  process.exit(1);
});
