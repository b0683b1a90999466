import { cpus, totalmem } from 'node:os';
import { benchApi } from './api.js';
import { benchCompare } from './compare.js';
import { benchPipeline } from './pipeline.js';
import { benchProduction } from './production.js';
import { benchScale } from './scale.js';
import { benchStages } from './stages.js';
import { benchStatements } from './statements.js';

/**
 * `npm run bench [api|pipeline|stages|production|scale|compare|statements ...]`: runs against the real PostgreSQL and Redis of this
 * machine, each scenario in its own database, and prints markdown for BENCHMARKS.md. Benchmarks report;
 * they never pass or fail on a number.
 */
const SCENARIOS: Record<string, () => Promise<string>> = {
  api: benchApi,
  pipeline: benchPipeline,
  stages: benchStages,
  production: benchProduction,
  scale: benchScale,
};
// Run only when named: `compare` needs a built checkout of an earlier commit (BENCH_BASELINE_DIR),
// `statements` starts a PostgreSQL of its own for pg_stat_statements.
const ON_REQUEST: Record<string, () => Promise<string>> = {
  compare: benchCompare,
  statements: benchStatements,
};

const chosen = process.argv.slice(2).filter((name) => name in SCENARIOS || name in ON_REQUEST);
const names = chosen.length > 0 ? chosen : Object.keys(SCENARIOS);
const cpu = cpus();
console.log(
  `## Run of ${new Date().toISOString()} — ${cpu.length} × ${cpu[0]?.model ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}\n`,
);
console.log(`Command: \`npm run bench${chosen.length ? ` -- ${chosen.join(' ')}` : ''}\`\n`);
for (const name of names) {
  const section = await ((SCENARIOS[name] ?? ON_REQUEST[name]) as () => Promise<string>)();
  console.log(`${section}\n`);
}
process.exit(0);
