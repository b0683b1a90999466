import type { GatewayCommand, GatewayProcess, ProcessGroup } from '../../test/support/processes.js';

/**
 * Gateway processes for a benchmark. With BENCH_PROFILE_DIR set, each runs under `node --cpu-prof`
 * and is stopped with SIGTERM so that its profile is written (open the .cpuprofile in Chrome DevTools).
 * BENCH_NODE_ARGS adds options for node itself (e.g. `--heap-growing-percent=0`, V8's own choice).
 */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR;
const NODE_ARGS = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);

export function spawnGateway(
  group: ProcessGroup,
  command: GatewayCommand,
  env: Record<string, string>,
  name: string,
  logLevel = 'warn',
  cli?: string,
): Promise<GatewayProcess> {
  const nodeArgs = [
    ...NODE_ARGS,
    ...(PROFILE_DIR
      ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`, `--cpu-prof-name=${name}.cpuprofile`]
      : []),
  ];
  return group.spawn(command, { env, logLevel, name, nodeArgs, cli });
}

export async function stopGateways(group: ProcessGroup): Promise<void> {
  if (PROFILE_DIR)
    await Promise.all(group.processes.map((p) => p.stop('SIGTERM', 30_000).catch(() => undefined)));
  await group.killAll();
}
