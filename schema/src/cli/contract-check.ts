/**
 * `npm run contract:check -- --url http://host:port/graphql [--signing-key-file key.pem]`
 *
 * Fetches a candidate community subgraph's `{ _service { sdl } }` and reports, finding by
 * finding, how it differs from the community contract (schema/community.graphql). Exits 0
 * when it satisfies the contract, 1 when it does not, 2 when it cannot be asked.
 *
 * A partner subgraph refuses requests the gateway has not signed; with a gateway private
 * key (a test federation's, say) the check signs as the gateway service would.
 */
import { IdentitySigner, Role } from '@linli/subgraph-kit/identity';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { checkContract, formatFinding } from '../contract.js';
import { readContract } from '../index.js';
import { fetchServiceSdl } from '../service-sdl.js';

const USAGE = 'usage: npm run contract:check -- --url <graphql url> [--signing-key-file <ed25519 private key pem>] [--contract <sdl file>]';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, 'signing-key-file': { type: 'string' }, contract: { type: 'string' }, help: { type: 'boolean' } },
  });
  if (values.help || !values.url) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const signer = values['signing-key-file'] ? new IdentitySigner(readFileSync(values['signing-key-file'], 'utf8')) : null;
  const headers = signer ? signer.headers({ userId: 'contract-check', homeCommunityId: null, roles: [Role.SERVICE] }) : {};
  const contract = values.contract ? readFileSync(values.contract, 'utf8') : readContract('community');
  const fetched = await fetchServiceSdl(values.url, headers, 10_000);
  if (!fetched.ok) {
    console.error(`✗ ${values.url}: ${fetched.reason}`);
    return 2;
  }
  const report = checkContract(fetched.sdl, contract);
  for (const finding of report.findings) console.log(`✗ [${finding.kind}] ${formatFinding(finding)}`);
  console.log(
    report.ok
      ? `✓ ${values.url} 满足社区契约 (satisfies the community contract)`
      : `✗ ${values.url} 不满足社区契约：${report.findings.length} 处 (does not satisfy the community contract: ${report.findings.length} findings)`,
  );
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
