/**
 * `npm run deploy:secrets`: the secrets of infra/deploy (docker compose and Kubernetes) for the
 * demo communities, or for the community ids given as arguments. Keeps what exists.
 */
import 'reflect-metadata';
import { DEMO_COMMUNITIES } from '../demo/communities.js';
import { writeDeploySecrets } from '../deploy/secrets.js';
import { repoRoot } from '../paths.js';

const ids = process.argv.slice(2);
const { dir, written, adminToken } = writeDeploySecrets({
  root: `${repoRoot}infra/deploy`,
  communities: ids.length > 0 ? ids : DEMO_COMMUNITIES.map((c) => c.id),
});
console.log(written.length > 0 ? `写入 (wrote) ${written.length} files under ${dir}` : `已存在，未改动 (all present, nothing changed): ${dir}`);
for (const file of written) console.log(`  ${file}`);
console.log(`联邦管理员令牌 (federation admin token, 12 h): ${adminToken}`);
