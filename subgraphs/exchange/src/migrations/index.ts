import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261125000000_directory } from './Migration20261125000000_directory.js';
import { Migration20261125000100_listings } from './Migration20261125000100_listings.js';
import { Migration20261125000200_ledger } from './Migration20261125000200_ledger.js';
import { Migration20261125000300_bookings } from './Migration20261125000300_bookings.js';
import { Migration20261125000400_settlement } from './Migration20261125000400_settlement.js';
import { Migration20261126000500_community_fund } from './Migration20261126000500_community_fund.js';
import { Migration20261127000600_admission } from './Migration20261127000600_admission.js';

/** Every migration, in order. New ones are appended, never edited once landed. */
export const migrations: MigrationObject[] = [
  { name: 'Migration20261125000000_directory', class: Migration20261125000000_directory },
  { name: 'Migration20261125000100_listings', class: Migration20261125000100_listings },
  { name: 'Migration20261125000200_ledger', class: Migration20261125000200_ledger },
  { name: 'Migration20261125000300_bookings', class: Migration20261125000300_bookings },
  { name: 'Migration20261125000400_settlement', class: Migration20261125000400_settlement },
  { name: 'Migration20261126000500_community_fund', class: Migration20261126000500_community_fund },
  { name: 'Migration20261127000600_admission', class: Migration20261127000600_admission },
];
