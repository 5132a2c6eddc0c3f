import { DEMO_PEOPLE, type DemoPerson } from '@linli/infra/demo/index';
import { startE2E, type E2E } from '@linli/infra/test/e2e';
import { ensureWebBuild, startWebServer, type RunningWebServer } from '@linli/infra/web/index';

/** A fresh demo federation (own databases and processes) with the built client in front. */
export interface WebE2E {
  e2e: E2E;
  /** The client as deployed: live through the gateway's subscriptions where the schema has them. */
  web: RunningWebServer;
  /** The same client told to poll: the fallback for a gateway (or proxy) without subscriptions. */
  pollingWeb: RunningWebServer;
  /** The page address of a client route, e.g. `url('/bookings')`. */
  url(path: string): string;
  /** A demo person's token, minted for this federation. */
  tokenOf(userId: string): string;
  person(userId: string): DemoPerson;
  close(): Promise<void>;
}

export async function startWebE2E(label: string): Promise<WebE2E> {
  const [e2e, build] = await Promise.all([startE2E(label), ensureWebBuild()]);
  const person = (userId: string) => {
    const found = DEMO_PEOPLE.find((p) => p.userId === userId);
    if (!found) throw new Error(`no demo person ${userId}`);
    return found;
  };
  const tokenOf = (userId: string) => {
    const p = person(userId);
    return e2e.token(p.userId, p.homeCommunityId, p.roles);
  };
  const serve = (subscriptions: boolean) =>
    startWebServer({
      distDir: build.distDir,
      gatewayUrl: e2e.federation.gatewayUrl,
      demoIdentities: DEMO_PEOPLE.map((p) => ({ name: p.name, label: p.label, labelEn: p.labelEn, token: tokenOf(p.userId) })),
      // Brisk polling keeps the fallback quick.
      pollIntervalMs: 1_000,
      subscriptions,
    });
  let web: RunningWebServer;
  let pollingWeb: RunningWebServer;
  try {
    [web, pollingWeb] = await Promise.all([serve(true), serve(false)]);
  } catch (error) {
    await e2e.close();
    throw error;
  }
  return {
    e2e,
    web,
    pollingWeb,
    url: (path) => new URL(path, web.url).toString(),
    tokenOf,
    person,
    async close() {
      await Promise.all([web.close(), pollingWeb.close()]);
      await e2e.close();
    },
  };
}
