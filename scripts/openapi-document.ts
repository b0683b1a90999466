// Prints the OpenAPI document the API serves (GET /api/v1/openapi.json), from an API built in this
// process; nothing is listened on and no database is touched.
import { buildApi } from '../src/api/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { createRuntime } from '../src/runtime.js';

const config = loadConfig({ LOG_LEVEL: 'silent' });
const runtime = createRuntime(config, 'openapi', { log: createLogger('silent', 'openapi') });
const app = await buildApi(runtime);
const response = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
await app.close();
await runtime.close();
if (response.statusCode !== 200) throw new Error(`GET /api/v1/openapi.json answered ${response.statusCode}`);
process.stdout.write(response.body);
