/**
 * The baseline: stock @apollo/gateway behind a plain `ApolloServer({ gateway })`, default
 * data sources and all, as its documentation sets it up.
 */
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { stopOnSignals } from './signals.js';

const { values } = parseArgs({ options: { supergraph: { type: 'string' }, port: { type: 'string', default: '0' } } });
if (!values.supergraph) throw new Error('--supergraph <file> is required');
const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: readFileSync(values.supergraph, 'utf8') }) });
await startStandaloneServer(server, { listen: { port: Number(values.port), host: '127.0.0.1' } });
stopOnSignals(() => server.stop());
