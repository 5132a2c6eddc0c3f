import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124000000_resources } from './Migration20261124000000_resources.js';
import { Migration20261125000000_holds } from './Migration20261125000000_holds.js';
import { Migration20261126000000_audit } from './Migration20261126000000_audit.js';
import { Migration20261126000050_resources_align } from './Migration20261126000050_resources_align.js';
import { Migration20261126000100_grids } from './Migration20261126000100_grids.js';
import { Migration20261126000200_security } from './Migration20261126000200_security.js';
import { Migration20261126000300_points } from './Migration20261126000300_points.js';
import { Migration20261126000400_timebank } from './Migration20261126000400_timebank.js';

/** Every migration, in order. New ones are appended, never edited once landed. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261124000000_resources', class: Migration20261124000000_resources },
  { name: 'Migration20261125000000_holds', class: Migration20261125000000_holds },
  { name: 'Migration20261126000000_audit', class: Migration20261126000000_audit },
  { name: 'Migration20261126000050_resources_align', class: Migration20261126000050_resources_align },
  { name: 'Migration20261126000100_grids', class: Migration20261126000100_grids },
  { name: 'Migration20261126000200_security', class: Migration20261126000200_security },
  { name: 'Migration20261126000300_points', class: Migration20261126000300_points },
  { name: 'Migration20261126000400_timebank', class: Migration20261126000400_timebank },
];
