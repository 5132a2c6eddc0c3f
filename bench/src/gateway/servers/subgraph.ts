/** One subgraph of the scenario, or (`--name direct`) the whole graph in one process. */
import { parseArgs } from 'node:util';
import { directSchema } from '../scenario/direct.js';
import { serveSchema } from '../scenario/serve.js';
import { SUBGRAPH_NAMES, subgraphSchema, type SubgraphName } from '../scenario/subgraphs.js';
import { stopOnSignals } from './signals.js';

const { values } = parseArgs({ options: { name: { type: 'string' }, port: { type: 'string', default: '0' } } });
const name = values.name ?? '';
if (name !== 'direct' && !SUBGRAPH_NAMES.includes(name as SubgraphName)) throw new Error(`--name: one of direct, ${SUBGRAPH_NAMES.join(', ')}`);
const { server } = await serveSchema(name === 'direct' ? directSchema() : subgraphSchema(name as SubgraphName), Number(values.port));
stopOnSignals(() => new Promise<void>((resolve) => server.close(() => resolve())));
