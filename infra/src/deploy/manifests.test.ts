import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Env as CommunityEnv, readConfig as readCommunityConfig } from '@linli/community/config';
import { Env as ExchangeEnv, readConfig as readExchangeConfig } from '@linli/exchange/config';
import { Env as GatewayEnv, readConfig as readGatewayConfig } from '@linli/gateway/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DEMO_COMMUNITIES } from '../demo/communities.js';
import { repoRoot } from '../paths.js';
import { SOURCE_FLAGS } from '../services.js';
import {
  haproxyBindPorts,
  haproxyServers,
  imageEnv,
  readCompose,
  readKubernetes,
  selects,
  type DeployedService,
  type Deployment,
  type KubeDeployment,
  type ServiceKind,
} from './manifests.js';
import { writeDeploySecrets } from './secrets.js';

/**
 * infra/deploy against the code: the variables each service's config.ts reads (its exported zod
 * `Env`), the port it listens on, and the hosts its URLs name. The secrets are written by the
 * real deploy:secrets into a directory of this test's own.
 */
interface EnvSchema {
  shape: Record<string, { safeParse(value: unknown): { success: boolean } }>;
}
const CODE: Record<ServiceKind, { Env: EnvSchema; readConfig(env: NodeJS.ProcessEnv): { port: number; host: string } }> = {
  gateway: { Env: GatewayEnv, readConfig: readGatewayConfig },
  exchange: { Env: ExchangeEnv, readConfig: readExchangeConfig },
  community: { Env: CommunityEnv, readConfig: readCommunityConfig },
};
const deployDir = join(repoRoot, 'infra/deploy');
const communityIds = DEMO_COMMUNITIES.map((c) => c.id);
const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443, 'redis:': 6379, 'postgres:': 5432, 'postgresql:': 5432 };

let root: string;
let compose: Deployment;
let kubernetes: KubeDeployment;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'linli-deploy-'));
  writeDeploySecrets({ root, communities: communityIds });
  compose = readCompose(join(deployDir, 'docker-compose.yml'), root);
  kubernetes = readKubernetes(join(deployDir, 'k8s'), root);
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const required = (kind: ServiceKind) => Object.entries(CODE[kind].Env.shape).filter(([, schema]) => !schema.safeParse(undefined).success).map(([name]) => name);

/** The environment the process sees: the image's, then the manifest's, with secret files mounted. */
function processEnv(service: DeployedService): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...imageEnv(join(deployDir, 'Dockerfile')), ...service.env };
  for (const [name, value] of Object.entries(env)) if (name.endsWith('_FILE') && value) env[name] = service.files[value] ?? value;
  return env;
}

function urlsOf(service: DeployedService): Array<{ name: string; url: URL }> {
  const urls: Array<{ name: string; url: URL }> = [];
  for (const [name, value] of Object.entries(service.env)) {
    // COMMUNITY_ENDPOINTS is `id=url,id=url`; every other URL-valued variable holds one.
    const candidates = name === 'COMMUNITY_ENDPOINTS' ? value.split(',').map((e) => e.slice(e.indexOf('=') + 1)) : [value];
    for (const candidate of candidates) {
      if (!/^[a-z]+:\/\//.test(candidate)) continue;
      urls.push({ name, url: new URL(candidate) });
    }
  }
  return urls;
}

describe.each(['compose', 'kubernetes'] as const)('%s manifests', (platform) => {
  const deployment = () => (platform === 'compose' ? compose : kubernetes);
  const services = () => deployment().services;

  it('run the gateway as replicas, the exchange once and every demo community, all from the one image', () => {
    const gateways = services().filter((s) => s.kind === 'gateway');
    expect(gateways).toHaveLength(1);
    expect(gateways[0]!.replicas).toBeGreaterThanOrEqual(2);
    expect(services().filter((s) => s.kind === 'exchange')).toHaveLength(1);
    const communities = services().filter((s) => s.kind === 'community');
    expect(communities.map((c) => c.env.COMMUNITY_ID).sort()).toEqual([...communityIds].sort());
    expect(communities.map((c) => c.name).sort()).toEqual(communityIds.map((id) => `community-${id}`).sort());
  });

  it('set every variable the code requires, only variables the code reads, and values it accepts', () => {
    const problems: string[] = [];
    for (const service of services()) {
      const known = Object.keys(CODE[service.kind].Env.shape);
      for (const name of Object.keys(service.env)) if (!known.includes(name)) problems.push(`${service.name}: ${name} is not read by the ${service.kind}`);
      for (const name of required(service.kind)) if (!(name in service.env)) problems.push(`${service.name}: ${name} is required and not set`);
      for (const [name, path] of Object.entries(service.env)) {
        if (name.endsWith('_FILE') && !service.files[path]) problems.push(`${service.name}: ${name}=${path} is not a mounted secret file`);
      }
      try {
        const config = CODE[service.kind].readConfig(processEnv(service));
        // Inside a container the default 127.0.0.1 would be unreachable from every other service.
        if (config.host !== '0.0.0.0') problems.push(`${service.name}: listens on ${config.host}, not 0.0.0.0`);
        if (String(config.port) !== service.env.PORT) problems.push(`${service.name}: PORT must be set explicitly (listens on ${config.port})`);
      } catch (error) {
        problems.push(`${service.name}: the ${service.kind}'s readConfig refuses it: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('declare, publish and probe the port each service listens on', () => {
    const problems: string[] = [];
    for (const service of services()) {
      const port = Number(service.env.PORT);
      if (platform === 'kubernetes' && !service.containerPorts.includes(port)) problems.push(`${service.name}: containerPort ${service.containerPorts} ≠ PORT ${port}`);
      if (service.containerPorts.some((p) => p !== port)) problems.push(`${service.name}: ports ${service.containerPorts} ≠ PORT ${port}`);
      if (service.probes.length === 0) problems.push(`${service.name}: no health check`);
      for (const probe of service.probes) {
        if (probe.port !== port) problems.push(`${service.name}: ${probe.kind} probe on ${probe.port} ≠ PORT ${port}`);
        const path = probe.kind === 'health' || probe.kind === 'readiness' ? '/readyz' : '/healthz';
        if (probe.path !== path) problems.push(`${service.name}: ${probe.kind} probe asks ${probe.path}, not ${path}`);
      }
      if (platform === 'kubernetes' && !['liveness', 'readiness'].every((k) => service.probes.some((p) => p.kind === k))) {
        problems.push(`${service.name}: needs a liveness and a readiness probe`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('point every URL at a service of the deployment, on a port it serves', () => {
    const problems: string[] = [];
    const { hosts } = deployment();
    for (const service of services()) {
      for (const { name, url } of urlsOf(service)) {
        const port = Number(url.port || DEFAULT_PORTS[url.protocol]);
        const served = hosts.get(url.hostname);
        if (!served) problems.push(`${service.name}: ${name} names ${url.hostname}, which is not a service`);
        else if (!served.includes(port)) problems.push(`${service.name}: ${name} uses port ${port} of ${url.hostname}, which serves ${served}`);
      }
    }
    expect(problems).toEqual([]);
    // The gateway finds the exchange, every subgraph finds the gateway and Redis.
    for (const service of services()) {
      const names = urlsOf(service).map((u) => u.name);
      expect(names, service.name).toEqual(expect.arrayContaining(service.kind === 'gateway' ? ['EXCHANGE_URL', 'REDIS_URL'] : ['DATABASE_URL', 'REDIS_URL', 'GATEWAY_URL']));
    }
  });

  it('give each database URL the user, password and database its PostgreSQL was created with', () => {
    const { backingEnv } = deployment();
    for (const service of services().filter((s) => s.env.DATABASE_URL)) {
      const url = new URL(service.env.DATABASE_URL!);
      const postgres = backingEnv.get(url.hostname) ?? {};
      expect(decodeURIComponent(url.username), service.name).toBe(postgres.POSTGRES_USER);
      expect(decodeURIComponent(url.password), service.name).toBe(postgres.POSTGRES_PASSWORD);
      expect(url.pathname.slice(1), service.name).toBe(postgres.POSTGRES_DB ?? postgres.POSTGRES_USER);
    }
  });

  it('give each community a database of its own, which no other service uses', () => {
    const databaseHosts = services()
      .filter((s) => s.env.DATABASE_URL)
      .map((s) => [s.name, new URL(s.env.DATABASE_URL!).hostname] as const);
    expect(new Set(databaseHosts.map(([, host]) => host)).size).toBe(databaseHosts.length);
    for (const id of communityIds) expect(databaseHosts).toContainEqual([`community-${id}`, `community-${id}-postgres`]);
  });

  it('send subgraphs to the gateway through its load balancer, not to one replica', () => {
    const gateway = services().find((s) => s.kind === 'gateway')!;
    const balancer = platform === 'compose' ? 'gateway-lb' : 'gateway';
    for (const service of services().filter((s) => s.kind !== 'gateway')) {
      expect(new URL(service.env.GATEWAY_URL!).hostname, service.name).toBe(balancer);
    }
    if (platform === 'compose') {
      const cfg = join(deployDir, 'haproxy.cfg');
      const servers = haproxyServers(cfg);
      expect(servers).toHaveLength(1);
      expect(servers[0]).toMatchObject({ host: gateway.name, port: Number(gateway.env.PORT) });
      expect(servers[0]!.count).toBeGreaterThanOrEqual(gateway.replicas);
      expect(compose.hosts.get('gateway-lb')).toEqual(haproxyBindPorts(cfg));
    } else {
      const service = kubernetes.kubeServices.find((s) => s.name === 'gateway');
      expect(service?.type).toBe('LoadBalancer');
    }
  });
});

describe('compose', () => {
  it('publishes only the load balancer, and keeps each database on a network only its service joins', () => {
    const doc = readComposeDocument();
    const published = Object.entries(doc.services).filter(([, s]) => s.ports?.length).map(([name]) => name);
    expect(published).toEqual(['gateway-lb']);
    const networksOf = (name: string) => doc.services[name]?.networks ?? [];
    for (const owner of ['exchange', ...communityIds.map((id) => `community-${id}`)]) {
      const database = `${owner}-postgres`;
      const sharing = Object.keys(doc.services).filter((name) => name !== database && networksOf(name).some((n) => networksOf(database).includes(n)));
      expect(sharing, database).toEqual([owner]);
    }
  });

  it('lets the gateways believe the client address HAProxy forwards, and only from private addresses', () => {
    const gateway = compose.services.find((s) => s.kind === 'gateway')!;
    expect(readFileSync(join(deployDir, 'haproxy.cfg'), 'utf8')).toMatch(/^\s*option forwardfor/m);
    expect(readGatewayConfig(processEnv(gateway)).trustProxy).toBe('uniquelocal');
  });

  it('keeps the gateways\' metrics off the published load balancer', () => {
    expect(readFileSync(join(deployDir, 'haproxy.cfg'), 'utf8')).toMatch(/^\s*http-request deny deny_status 404 if \{ path_beg \/metrics \}/m);
  });
});

describe('kubernetes', () => {
  it('trusts no forwarded address behind its layer-4 load balancer', () => {
    const gateway = kubernetes.services.find((s) => s.kind === 'gateway')!;
    expect(readGatewayConfig(processEnv(gateway)).trustProxy).toBe(false);
    expect(kubernetes.resources.some((r) => r.kind === 'Ingress')).toBe(false);
  });

  it('gives our containers only the environment listed, without injected service links', () => {
    expect(kubernetes.services.filter((s) => s.serviceLinks).map((s) => s.name)).toEqual([]);
  });

  it('has every Service select one workload and target a port it declares', () => {
    const problems: string[] = [];
    for (const service of kubernetes.kubeServices) {
      const selected = kubernetes.workloads.filter((w) => selects(service.selector, w.labels));
      if (selected.length !== 1) {
        problems.push(`Service ${service.name} selects ${selected.length} workloads`);
        continue;
      }
      for (const { targetPort } of service.ports) {
        const port = typeof targetPort === 'number' ? targetPort : selected[0]!.namedPorts.get(targetPort);
        if (port === undefined || !selected[0]!.containerPorts.includes(port)) problems.push(`Service ${service.name}: targetPort ${targetPort} is not declared by ${selected[0]!.name}`);
      }
      // A Service is reached under its own name: the workload it selects must serve its port there.
      const ours = kubernetes.services.find((s) => s.name === selected[0]!.name);
      if (ours && !service.ports.some((p) => p.port === Number(ours.env.PORT))) problems.push(`Service ${service.name} does not serve PORT ${ours.env.PORT}`);
    }
    expect(problems).toEqual([]);
  });

  it('lets only its own service connect to each database', () => {
    for (const owner of ['exchange', ...communityIds.map((id) => `community-${id}`)]) {
      const policy = kubernetes.resources.find((r) => r.kind === 'NetworkPolicy' && (r.metadata as { name?: string }).name === `${owner}-postgres`);
      expect(policy, owner).toBeDefined();
      const spec = policy!.spec as { podSelector: { matchLabels: Record<string, string> }; ingress: Array<{ from: Array<{ podSelector: { matchLabels: Record<string, string> } }> }> };
      expect(spec.podSelector.matchLabels).toEqual({ 'app.kubernetes.io/name': `${owner}-postgres` });
      expect(spec.ingress.flatMap((i) => i.from.map((f) => f.podSelector.matchLabels))).toEqual([{ 'app.kubernetes.io/name': owner }]);
    }
  });
});

describe('image', () => {
  it('runs each service from its entry module with the launcher\'s node flags', () => {
    const script = readFileSync(join(deployDir, 'entrypoint.sh'), 'utf8');
    for (const kind of ['gateway', 'exchange', 'community']) {
      const entry = new RegExp(`^\\s*${kind}\\) entry=(\\S+) ;;$`, 'm').exec(script)?.[1];
      expect(entry, kind).toBeDefined();
      expect(existsSync(join(repoRoot, entry!)), entry).toBe(true);
    }
    expect(script).toContain(`exec node ${SOURCE_FLAGS.join(' ')} "$entry"`);
  });

  it('writes secrets once and keeps them on a second run', () => {
    const again = writeDeploySecrets({ root, communities: communityIds });
    expect(again.written).toEqual([]);
    const more = writeDeploySecrets({ root, communities: [...communityIds, 'qibao-d'] });
    expect(more.written.every((file) => file.startsWith('linli-community-qibao-d/'))).toBe(true);
  });
});

type ComposeDocument = { services: Record<string, { ports?: string[]; networks?: string[] }> };
function readComposeDocument(): ComposeDocument {
  // Networks and ports are read from the raw file: interpolation does not touch them.
  return parseYaml(readFileSync(join(deployDir, 'docker-compose.yml'), 'utf8').replace(/\$\{[^}]+\}/g, 'x'), { merge: true }) as ComposeDocument;
}
