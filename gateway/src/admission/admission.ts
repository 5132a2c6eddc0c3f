import type { IdentitySigner } from '@linli/subgraph-kit/identity';
import type { Logger } from '@linli/subgraph-kit/logger';
import { checkContract, formatFinding } from '@linli/schema/contract';
import { fetchServiceSdl } from '@linli/schema/service-sdl';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { DirectoryEntry } from '../routing/directory.js';
import { GATEWAY_SERVICE_VIEWER } from '../routing/exchange-directory.js';
import type { Fetcher } from '../security/signed-data-source.js';

/** Tuning of the admission check (ADMISSION_* variables). */
export interface AdmissionSettings {
  /** How long the candidate may take to answer `_service { sdl }`. Default 5000. */
  timeoutMs: number;
  /**
   * Tries before an unreachable candidate is REJECTED: a community registered a moment
   * before its process is up still gets in. Default 3.
   */
  attempts: number;
  /** Pause between tries, and before reporting a decision again when the exchange did not take it. Default 1000. */
  retryMs: number;
}

export const DEFAULT_ADMISSION: AdmissionSettings = { timeoutMs: 5000, attempts: 3, retryMs: 1000 };

/** What admission needs of the directory: the PENDING entries, and to hear when they change. */
export interface AdmissionDirectory {
  withStatus(status: string): DirectoryEntry[];
  onChange(listener: () => void): () => void;
  /** Re-reads now (after one in flight), so a decision is routed without waiting for a refresh. */
  reload(): Promise<void>;
}

export interface AdmissionOptions {
  directory: AdmissionDirectory;
  /** The exchange's GraphQL URL, where decisions are recorded. */
  exchangeUrl: string;
  fetcher: Fetcher;
  signer: IdentitySigner;
  logger: Logger;
  /** The community contract SDL (schema/community.graphql). */
  contractSdl: string;
  settings?: AdmissionSettings;
}

export interface AdmissionDecision {
  accepted: boolean;
  reasons: string[];
}

/**
 * Findings recorded at most (the exchange takes up to 200 reasons of up to 2000 characters):
 * a schema that is not the contract at all would otherwise fail hundreds of ways.
 */
export const MAX_REASONS = 50;
const MAX_REASON_LENGTH = 2000;

const RECORD = `mutation($id: ID!, $accepted: Boolean!, $reasons: [String!]) {
  recordAdmission(id: $id, accepted: $accepted, reasons: $reasons) { id status }
}`;

const RecordAnswer = z.object({ data: z.object({ recordAdmission: z.object({ id: z.string(), status: z.string() }) }) });

/**
 * Admits communities registered in the directory: for each PENDING one, asks its endpoint
 * for `_service { sdl }` (signed as the gateway service, as routed traffic is), checks the
 * SDL against the community contract, and records ACTIVE or REJECTED (with the findings) in
 * the exchange. Driven by directory changes, which follow `directory.changed` events, so a
 * registration is decided as soon as the gateway hears of it. Every gateway replica does
 * this; the exchange moves only PENDING communities, so a second decision is harmless.
 */
export class Admission {
  private readonly settings: AdmissionSettings;
  private readonly checking = new Map<string, Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopListening: (() => void) | null = null;
  /** Cuts short the candidates' health checks, and the pauses between them, on close. */
  private readonly closing = new AbortController();
  private closed = false;

  constructor(private readonly options: AdmissionOptions) {
    this.settings = options.settings ?? DEFAULT_ADMISSION;
  }

  /** Checks what is PENDING now and whatever becomes PENDING later. */
  start(): void {
    this.stopListening = this.options.directory.onChange(() => this.scan());
    this.scan();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    this.stopListening?.();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.checking.values()]);
  }

  /** Starts a check of every PENDING community not being checked already. */
  scan(): void {
    if (this.closed) return;
    for (const entry of this.options.directory.withStatus('PENDING')) {
      if (this.checking.has(entry.id)) continue;
      const run = this.admit(entry).finally(() => this.checking.delete(entry.id));
      this.checking.set(entry.id, run);
    }
  }

  /** Health and contract check of one candidate; never throws. */
  async decide(entry: Pick<DirectoryEntry, 'id' | 'endpoint'>): Promise<AdmissionDecision> {
    const { timeoutMs, attempts, retryMs } = this.settings;
    const ask = () => fetchServiceSdl(entry.endpoint, this.options.signer.headers(GATEWAY_SERVICE_VIEWER), timeoutMs, this.closing.signal);
    let fetched = await ask();
    for (let attempt = 1; !fetched.ok && attempt < attempts && !this.closed; attempt++) {
      await sleep(retryMs, undefined, { signal: this.closing.signal }).catch(() => undefined);
      fetched = await ask();
    }
    if (!fetched.ok) return { accepted: false, reasons: [fetched.reason.slice(0, MAX_REASON_LENGTH)] };
    const report = checkContract(fetched.sdl, this.options.contractSdl);
    return { accepted: report.ok, reasons: summarise(report.findings.map(formatFinding)) };
  }

  private async admit(entry: DirectoryEntry): Promise<void> {
    const started = Date.now();
    const decision = await this.decide(entry);
    if (this.closed) return;
    try {
      await this.record(entry.id, decision);
    } catch (error) {
      // The entry is still PENDING: the next directory change, or this retry, decides it again.
      this.options.logger.warn({ communityId: entry.id, err: error instanceof Error ? error.message : String(error) }, 'admission: decision not recorded; retrying');
      this.later(() => this.scan());
      return;
    }
    this.options.logger.info(
      { communityId: entry.id, accepted: decision.accepted, findings: decision.reasons.length, ms: Date.now() - started },
      decision.accepted ? 'admission: community admitted' : 'admission: community rejected',
    );
    await this.options.directory.reload();
  }

  private async record(communityId: string, decision: AdmissionDecision): Promise<void> {
    const res = await this.options.fetcher(this.options.exchangeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...this.options.signer.headers(GATEWAY_SERVICE_VIEWER) },
      body: JSON.stringify({ query: RECORD, variables: { id: communityId, ...decision } }),
    });
    if (!res.ok) throw new Error(`exchange answered HTTP ${res.status}`);
    const answer = RecordAnswer.safeParse(await res.json());
    if (!answer.success) throw new Error('exchange did not record the decision');
  }

  private later(fn: () => void, ms = this.settings.retryMs): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }
}

function summarise(reasons: string[]): string[] {
  const kept = reasons.slice(0, reasons.length > MAX_REASONS ? MAX_REASONS - 1 : MAX_REASONS).map((r) => r.slice(0, MAX_REASON_LENGTH));
  const more = reasons.length - kept.length;
  return more > 0 ? [...kept, `…还有 ${more} 处不符，请用 contract:check 查看全部 (…and ${more} more findings; run contract:check to see them all)`] : kept;
}
