import { Migration } from '@mikro-orm/migrations';

/**
 * COMMUNITY_FUND accounts: hours residents give their community, allocated by its staff.
 * Only the enum grows; the account table already holds any kind. (Inside the migration's
 * transaction the new value may be added but not used, and nothing here uses it.)
 */
export class Migration20261126000500_community_fund extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "ledger_account_kind" add value if not exists 'COMMUNITY_FUND';`);
  }
}
