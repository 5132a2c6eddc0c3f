import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

/**
 * Readers of infra/deploy: docker-compose.yml and the Kustomize tree, reduced to what each of
 * our services is given (environment with secrets resolved, mounted secret files, ports, probes)
 * and what it can reach (host → port). The manifests test checks these against the code.
 */

export type ServiceKind = 'gateway' | 'exchange' | 'community';
export const SERVICE_KINDS: readonly ServiceKind[] = ['gateway', 'exchange', 'community'];

export interface DeployedService {
  platform: 'compose' | 'kubernetes';
  name: string;
  kind: ServiceKind;
  /** As the manifest sets it, secrets resolved to the files deploy:secrets wrote. */
  env: Record<string, string>;
  /** Path inside the container → the local file that would be mounted there. */
  files: Record<string, string>;
  /** Ports the container declares (Kubernetes containerPort, compose published target ports). */
  containerPorts: number[];
  /** Port and path of every health check or probe, with its purpose. */
  probes: Array<{ kind: 'health' | 'startup' | 'liveness' | 'readiness'; port: number; path: string }>;
  replicas: number;
  /** Kubernetes only: whether <SERVICE>_PORT/_HOST variables are injected beside `env`. */
  serviceLinks?: boolean;
}

export interface Deployment {
  services: DeployedService[];
  /** What a URL may point at: host name → the ports served under it. */
  hosts: Map<string, number[]>;
  /** Environment of third-party containers (PostgreSQL, Redis), by host name. */
  backingEnv: Map<string, Record<string, string>>;
}

const LINLI_IMAGE = 'linli:dev';

/** `ENV KEY=VALUE` lines of the Dockerfile: what every service gets from the image. */
export function imageEnv(dockerfile: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const match of readFileSync(dockerfile, 'utf8').matchAll(/^ENV\s+([A-Z_][A-Z0-9_]*)=(\S+)\s*$/gm)) env[match[1]!] = match[2]!;
  return env;
}

/** `${VAR}`, `${VAR:-default}` and `${VAR:?error}` as compose interpolates them. */
export function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g, (_m, name: string, op: string | undefined, arg: string | undefined) => {
    const value = vars[name];
    if (value !== undefined && value !== '') return value;
    if (op === ':-') return arg ?? '';
    throw new Error(`compose: ${name} is not set (${arg ?? 'no default'})`);
  });
}

export function readDotEnv(file: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0 && !line.startsWith('#')) vars[line.slice(0, at)] = line.slice(at + 1);
  }
  return vars;
}

type Yaml = Record<string, unknown>;
const obj = (value: unknown): Yaml => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Yaml) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');

function kindOf(command: unknown, where: string): ServiceKind {
  const first = list(command)[0];
  if (SERVICE_KINDS.includes(first as ServiceKind)) return first as ServiceKind;
  throw new Error(`${where}: the command must name a service (${SERVICE_KINDS.join(' | ')}), got ${JSON.stringify(command)}`);
}

/**
 * docker-compose.yml with its `.env` and secret files under `root` (as deploy:secrets writes them).
 * The HAProxy config's `bind` port is what the load balancer serves.
 */
export function readCompose(composeFile: string, root: string): Deployment {
  const doc = obj(parse(interpolate(readFileSync(composeFile, 'utf8'), readDotEnv(join(root, '.env'))), { merge: true }));
  const secretFiles = obj(doc.secrets);
  const services: DeployedService[] = [];
  const hosts = new Map<string, number[]>();
  const backingEnv = new Map<string, Record<string, string>>();
  for (const [name, raw] of Object.entries(obj(doc.services))) {
    const service = obj(raw);
    const env = Object.fromEntries(Object.entries(obj(service.environment)).map(([k, v]) => [k, String(v)]));
    const published = list(service.ports).map((p) => Number(String(p).split(':').at(-1)));
    if (service.image !== LINLI_IMAGE) {
      backingEnv.set(name, env);
      const image = str(service.image);
      if (image.startsWith('postgres:')) hosts.set(name, [5432]);
      else if (image.startsWith('redis:')) hosts.set(name, list(service.command).flatMap((a, i, all) => (all[i - 1] === '--port' ? [Number(a)] : [])));
      else if (image.startsWith('haproxy:')) hosts.set(name, haproxyBindPorts(join(dirname(composeFile), 'haproxy.cfg')));
      continue;
    }
    const files: Record<string, string> = {};
    for (const entry of list(service.secrets)) {
      const source = typeof entry === 'string' ? entry : str(obj(entry).source);
      const target = typeof entry === 'string' ? entry : str(obj(entry).target) || source;
      const file = str(obj(secretFiles[source]).file);
      if (!file) throw new Error(`compose ${name}: secret ${source} is not declared with a file`);
      files[posix.join('/run/secrets', target)] = join(root, file);
    }
    const check = list(obj(service.healthcheck).test).join(' ');
    const probe = /http:\/\/(?:127\.0\.0\.1|localhost):(\d+)(\/[a-z]+)/.exec(check);
    services.push({
      platform: 'compose',
      name,
      kind: kindOf(service.command, `compose ${name}`),
      env,
      files,
      containerPorts: published,
      probes: probe ? [{ kind: 'health', port: Number(probe[1]), path: probe[2]! }] : [],
      replicas: Number(obj(service.deploy).replicas ?? 1),
    });
    hosts.set(name, [Number(env.PORT)]);
  }
  return { services, hosts, backingEnv };
}

export function haproxyBindPorts(file: string): number[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*bind\s+\S*:(\d+)/gm)].map((m) => Number(m[1]));
}

/** The backend servers HAProxy balances over: `server-template <prefix> <count> <host>:<port>`. */
export function haproxyServers(file: string): Array<{ count: number; host: string; port: number }> {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*server-template\s+\S+\s+(\d+)\s+([a-z0-9-]+):(\d+)/gm)].map((m) => ({
    count: Number(m[1]),
    host: m[2]!,
    port: Number(m[3]),
  }));
}

/**
 * The resources a Kustomization applies. Only `resources` (files and directories) and
 * `namespace` are understood; anything else (patches, generators, prefixes) would change what is
 * applied behind this reader's back, so it is refused.
 */
export function kustomizeResources(dir: string): Yaml[] {
  const kustomization = obj(parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')));
  const unknown = Object.keys(kustomization).filter((k) => !['apiVersion', 'kind', 'namespace', 'resources'].includes(k));
  if (unknown.length > 0) throw new Error(`${dir}/kustomization.yaml: ${unknown.join(', ')} not understood by this reader`);
  return list(kustomization.resources).flatMap((entry) => {
    const path = join(dir, str(entry));
    if (!existsSync(path)) throw new Error(`${dir}/kustomization.yaml: ${str(entry)} does not exist`);
    if (statSync(path).isDirectory()) return kustomizeResources(path);
    return parseAllDocuments(readFileSync(path, 'utf8')).map((d) => {
      if (d.errors.length > 0) throw new Error(`${path}: ${d.errors[0]!.message}`);
      return obj(d.toJS());
    });
  });
}

export interface KubeService {
  name: string;
  type: string;
  selector: Record<string, string>;
  ports: Array<{ port: number; targetPort: number | string }>;
}

export interface KubeWorkload {
  kind: string;
  name: string;
  labels: Record<string, string>;
  /** containerPort by port name, of every container. */
  namedPorts: Map<string, number>;
  containerPorts: number[];
}

export interface KubeDeployment extends Deployment {
  resources: Yaml[];
  kubeServices: KubeService[];
  workloads: KubeWorkload[];
}

/** The Kustomize tree, secrets resolved from `<root>/secrets/<Secret>/<key>`. */
export function readKubernetes(dir: string, root: string): KubeDeployment {
  const resources = kustomizeResources(dir);
  const secretFile = (name: string, key: string) => {
    const file = join(root, 'secrets', name, key);
    if (!existsSync(file)) throw new Error(`Secret ${name} has no key ${key} (deploy:secrets does not write it)`);
    return file;
  };
  const services: DeployedService[] = [];
  const workloads: KubeWorkload[] = [];
  const backingEnv = new Map<string, Record<string, string>>();
  const workloadEnv = new Map<string, Record<string, string>>();
  for (const resource of resources.filter((r) => r.kind === 'Deployment' || r.kind === 'StatefulSet')) {
    const name = str(obj(resource.metadata).name);
    const spec = obj(resource.spec);
    const pod = obj(obj(spec.template).spec);
    const containers = list(pod.containers).map(obj);
    const namedPorts = new Map<string, number>();
    for (const port of containers.flatMap((c) => list(c.ports).map(obj))) namedPorts.set(str(port.name), Number(port.containerPort));
    workloads.push({
      kind: str(resource.kind),
      name,
      labels: obj(obj(obj(spec.template).metadata).labels) as Record<string, string>,
      namedPorts,
      containerPorts: [...namedPorts.values()],
    });
    const volumes = new Map(list(pod.volumes).map((v) => [str(obj(v).name), str(obj(obj(v).secret).secretName)]));
    for (const container of containers) {
      const env: Record<string, string> = {};
      for (const entry of list(container.env).map(obj)) {
        const ref = obj(obj(entry.valueFrom).secretKeyRef);
        if (entry.valueFrom !== undefined && !ref.name) throw new Error(`${name}: ${str(entry.name)} uses a valueFrom this reader does not know`);
        if (entry.value !== undefined && typeof entry.value !== 'string') throw new Error(`${name}: ${str(entry.name)} must be a string (Kubernetes refuses numbers)`);
        env[str(entry.name)] = ref.name ? readFileSync(secretFile(str(ref.name), str(ref.key)), 'utf8') : str(entry.value);
      }
      if (container.image !== LINLI_IMAGE) {
        workloadEnv.set(name, env);
        continue;
      }
      const files: Record<string, string> = {};
      for (const mount of list(container.volumeMounts).map(obj)) {
        const secret = volumes.get(str(mount.name));
        if (!secret) continue;
        for (const key of secretKeys(root, secret)) files[posix.join(str(mount.mountPath), key)] = secretFile(secret, key);
      }
      const portOf = (probe: unknown) => {
        const port = obj(obj(probe).httpGet).port;
        return typeof port === 'number' ? port : (namedPorts.get(str(port)) ?? NaN);
      };
      const probes = (['startup', 'liveness', 'readiness'] as const)
        .filter((kind) => container[`${kind}Probe`] !== undefined)
        .map((kind) => ({ kind, port: portOf(container[`${kind}Probe`]), path: str(obj(obj(container[`${kind}Probe`]).httpGet).path) }));
      services.push({
        platform: 'kubernetes',
        name,
        kind: kindOf(container.args, `Deployment ${name}`),
        env,
        files,
        containerPorts: list(container.ports).map((p) => Number(obj(p).containerPort)),
        probes,
        replicas: Number(spec.replicas ?? 1),
        serviceLinks: pod.enableServiceLinks !== false,
      });
    }
  }
  const kubeServices: KubeService[] = resources
    .filter((r) => r.kind === 'Service')
    .map((r) => ({
      name: str(obj(r.metadata).name),
      type: str(obj(r.spec).type) || 'ClusterIP',
      selector: obj(obj(r.spec).selector) as Record<string, string>,
      ports: list(obj(r.spec).ports).map((p) => ({ port: Number(obj(p).port), targetPort: obj(p).targetPort as number | string })),
    }));
  const hosts = new Map(kubeServices.map((s) => [s.name, s.ports.map((p) => p.port)]));
  // A backing service's environment is that of the workload its Service selects.
  for (const service of kubeServices) {
    const workload = workloads.find((w) => selects(service.selector, w.labels));
    const env = workload && workloadEnv.get(workload.name);
    if (env) backingEnv.set(service.name, env);
  }
  return { services, hosts, backingEnv, resources, kubeServices, workloads };
}

export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

function secretKeys(root: string, secret: string): string[] {
  const dir = join(root, 'secrets', secret);
  if (!existsSync(dir)) throw new Error(`Secret ${secret} is mounted but deploy:secrets does not write it`);
  return readdirSync(dir);
}
