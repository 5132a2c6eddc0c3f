import { BigIntType, Check, Entity, Enum, ManyToOne, OptionalProps, PrimaryKey, Property, Unique, type Rel } from '@mikro-orm/postgresql';
import { randomUUID } from 'node:crypto';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Community } from '../directory/community.entity.js';

/** Who an account belongs to; with `holderId` and `unit` it names the one account of its kind. */
export enum AccountKind {
  /** A resident's own purse; `holderId` is the user id, `communityId` their home community. */
  RESIDENT = 'RESIDENT',
  /** What a community earns when residents of other communities book its resources. */
  COMMUNITY_REVENUE = 'COMMUNITY_REVENUE',
  /** Where a community creates credit: it goes negative by what the community has issued. */
  COMMUNITY_ISSUANCE = 'COMMUNITY_ISSUANCE',
  /** The federation's own accounts (settlement, clearing); `holderId` is `federation`. */
  FEDERATION = 'FEDERATION',
  /**
   * Hours (or credit) residents gave to their community, which its staff allocate (elders
   * living alone first); `holderId` is the community id. Never below zero.
   */
  COMMUNITY_FUND = 'COMMUNITY_FUND',
}
registerEnumType(AccountKind, {
  name: 'AccountKind',
  description: '账户类型 (Kind of ledger account)',
  valuesConfig: {
    RESIDENT: { description: '居民账户 (A resident\'s own account)' },
    COMMUNITY_REVENUE: { description: '社区收入：其他社区居民预约所付 (What a community earns from bookings)' },
    COMMUNITY_ISSUANCE: { description: '社区发行：积分由此产生，可为负 (Where a community creates credit; may go negative)' },
    FEDERATION: { description: '联邦结算账户 (The federation\'s settlement account)' },
    COMMUNITY_FUND: { description: '社区公益基金：居民捐赠的时间，由工作人员分配 (Hours residents gave their community, allocated by its staff)' },
  },
});

export enum LedgerUnit {
  /** Points-backed shared credit (积分). */
  CREDIT = 'CREDIT',
  /** Time-bank hours (时间银行小时). */
  HOUR = 'HOUR',
}
registerEnumType(LedgerUnit, { name: 'LedgerUnit', description: '记账单位 (Unit of account)' });

/** The holder id of every FEDERATION account. */
export const FEDERATION_HOLDER = 'federation';

export const ACCOUNT_IDENTITY = 'ledger_account_kind_holder_id_unit_unique';

/**
 * One account per (kind, holder, unit), in the manner of TigerBeetle: the four running
 * totals are changed only together with the insert of the transfer that moves them, in
 * the same transaction, while the row is locked. Balances are derived from them.
 */
@Directive('@key(fields: "id")')
@ObjectType('LedgerAccount', { description: '共享积分账户 (An account in the shared credit ledger)' })
@Entity({ tableName: 'ledger_account' })
@Unique({ name: ACCOUNT_IDENTITY, properties: ['kind', 'holderId', 'unit'] })
@Check({
  name: 'ledger_account_totals_check',
  expression: 'debits_pending >= 0 and debits_posted >= 0 and credits_pending >= 0 and credits_posted >= 0',
})
@Check({ name: 'ledger_account_limit_check', expression: '"limit" is null or "limit" >= 0' })
@Check({ name: 'ledger_account_community_check', expression: `(kind = 'FEDERATION') = (community_id is null)` })
export class Account {
  [OptionalProps]?: 'community' | 'limit' | 'debitsPending' | 'debitsPosted' | 'creditsPending' | 'creditsPosted' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field(() => AccountKind)
  @Enum({ items: () => AccountKind, nativeEnumName: 'ledger_account_kind' })
  kind: AccountKind;

  @Field(() => ID, { description: '持有者：居民的用户 ID、社区 ID 或 federation (Holder: user id, community id, or federation)' })
  @Property({ type: 'text' })
  holderId: string;

  @Field(() => LedgerUnit)
  @Enum({ items: () => LedgerUnit, nativeEnumName: 'ledger_unit' })
  unit: LedgerUnit;

  /** The resident's home community, or the community a COMMUNITY_* account belongs to; in GraphQL as `communityId`. */
  @ManyToOne({ entity: () => Community, nullable: true, deleteRule: 'restrict' })
  community: Rel<Community> | null = null;

  /** How far below zero the balance may go; null = without limit (issuance, federation). */
  @Field(() => Int, { nullable: true, description: '透支额度，为空表示不限 (How far below zero the balance may go; null = unlimited)' })
  @Property({ type: new BigIntType('number'), nullable: true })
  limit: number | null = 0;

  @Property({ type: new BigIntType('number'), default: 0 })
  debitsPending: number = 0;

  @Property({ type: new BigIntType('number'), default: 0 })
  debitsPosted: number = 0;

  @Property({ type: new BigIntType('number'), default: 0 })
  creditsPending: number = 0;

  @Property({ type: new BigIntType('number'), default: 0 })
  creditsPosted: number = 0;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();
}

/** credits_posted − debits_posted. */
export function balanceOf(a: Pick<Account, 'creditsPosted' | 'debitsPosted'>): number {
  return a.creditsPosted - a.debitsPosted;
}

/** The balance less what pending debits hold back: what the holder may still spend. */
export function availableOf(a: Pick<Account, 'creditsPosted' | 'debitsPosted' | 'debitsPending'>): number {
  return a.creditsPosted - a.debitsPosted - a.debitsPending;
}
