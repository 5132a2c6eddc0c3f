/**
 * `npm start`: the demo federation on this machine. PostgreSQL (DATABASE_URL, or embedded
 * under .data/), one database per service, migrate and seed once, then every community,
 * the exchange and the gateway as their own processes. Ctrl-C stops them all.
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { mintDevToken } from '@linli/gateway';
import { DEMO_COMMUNITIES, DEMO_PEOPLE, seedDemo } from '../demo/index.js';
import { communityEndpoint, startFederation, type Federation } from '../federation.js';
import { loadOrCreateKeys } from '../keys.js';
import { dataDir } from '../paths.js';
import { ensureDatabase, redactUrl, startPostgres, type PostgresServer } from '../postgres.js';
import { stopLeftovers } from '../services.js';
import { ensureWebBuild, startWebServer, type RunningWebServer } from '../web/index.js';

const started = Date.now();
const log = (line: string) => console.log(line);
const env = process.env;
const ports = {
  gateway: Number(env.GATEWAY_PORT ?? 4000),
  exchange: Number(env.EXCHANGE_PORT ?? 4100),
  firstCommunity: Number(env.COMMUNITY_BASE_PORT ?? 4101),
  postgres: Number(env.EMBEDDED_POSTGRES_PORT ?? 54329),
  web: Number(env.WEB_PORT ?? 4080),
};
const runDir = `${dataDir}/run`;

let postgres: PostgresServer | undefined;
let federation: Federation | undefined;
let web: RunningWebServer | undefined;
let stopping = false;

async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    log('\n正在停止… (stopping…)');
    await web?.close();
    await federation?.stop().catch((e) => console.error(e));
    await postgres?.stop().catch((e) => console.error(e));
    log('已停止 (stopped)');
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

// The web client builds (only when its sources changed) while the databases start.
const webBuild = ensureWebBuild({ log });
webBuild.catch(() => undefined);

try {
  stopLeftovers(runDir, log);
  postgres = await startPostgres(env.DATABASE_URL, {
    dataDir: `${dataDir}/postgres`,
    port: ports.postgres,
    log: env.LOG_LEVEL === 'debug' ? log : undefined,
  });
  log(`PostgreSQL: ${postgres.embedded ? `embedded (${dataDir}/postgres, port ${ports.postgres})` : redactUrl(postgres.adminUrl)}`);

  const communities = await Promise.all(
    DEMO_COMMUNITIES.map(async (c, i) => ({
      id: c.id,
      port: ports.firstCommunity + i,
      databaseUrl: await ensureDatabase(postgres!.adminUrl, `linli_${c.id.replace(/-/g, '_')}`),
    })),
  );
  const exchange = { port: ports.exchange, databaseUrl: await ensureDatabase(postgres.adminUrl, 'linli_exchange') };
  const seeded = await seedDemo({
    exchangeDatabaseUrl: exchange.databaseUrl,
    communities: communities.map((c) => ({ id: c.id, databaseUrl: c.databaseUrl, endpoint: communityEndpoint(c.port) })),
    today: new Date(),
  });
  log(seeded ? '已写入演示数据 (seeded demo data)' : '演示数据已存在 (demo data already present)');

  const keys = loadOrCreateKeys(`${dataDir}/keys`);
  const people = DEMO_PEOPLE.map((p) => ({
    ...p,
    token: mintDevToken(keys.jwtSecret, p, { ttlSeconds: 30 * 86_400 }),
  }));
  const presetsFile = `${dataDir}/explorer-presets.json`;
  writeFileSync(
    presetsFile,
    JSON.stringify(people.map((p) => ({ label: `${p.name} · ${p.label} (${p.labelEn})`, token: p.token }))),
    { mode: 0o600 },
  );

  federation = await startFederation(
    { keys, exchange, communities, gateway: { port: ports.gateway, explorerPresetsFile: presetsFile }, logLevel: env.LOG_LEVEL ?? 'warn' },
    { runDir, log },
  );

  const gateway = federation.gatewayUrl;
  web = await startWebServer({
    distDir: (await webBuild).distDir,
    gatewayUrl: gateway,
    port: ports.web,
    demoIdentities: people.map((p) => ({ name: p.name, label: p.label, labelEn: p.labelEn, token: p.token })),
  });
  log('');
  log('邻里演示联邦已启动 (Linli demo federation is up)');
  log(`  网页客户端 Web client          ${web.url}`);
  log(`  网关 Gateway (GraphQL)        POST ${gateway}`);
  log(`  调试器 Explorer (GraphiQL)    ${gateway}`);
  log(`  交换中心 Exchange subgraph     ${federation.exchangeUrl}`);
  for (const c of communities) log(`  社区 Community ${c.id.padEnd(10)}   ${communityEndpoint(c.port)}`);
  log('');
  log('演示身份 Demo identities (Authorization: Bearer <token>):');
  for (const p of people) log(`  ${p.label} ${p.labelEn} — ${p.name} [${p.homeCommunityId ?? 'federation'}]\n    ${p.token}`);
  log('');
  log(`就绪，用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒 (ready in ${((Date.now() - started) / 1000).toFixed(1)} s). Ctrl-C 停止 (to stop).`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await shutdown(1);
}
