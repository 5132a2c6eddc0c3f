import { toConnection } from '@linli/subgraph-kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { requireSignedIn } from '../../access.js';
import type { ExchangeContext } from '../../context.js';
import { Account, availableOf, balanceOf, LedgerUnit } from './account.entity.js';
import { requireAccountVisible, requireCommunityAdmin } from './ledger.access.js';
import { IssueCreditInput, TransfersArgs } from './ledger.inputs.js';
import * as ledger from './ledger.service.js';
import { TransferConnection } from './ledger.types.js';
import { stateAt, Transfer, TransferState } from './transfer.entity.js';

@Resolver(() => Account)
export class LedgerAccountResolver {
  @Query(() => [Account], {
    description: '我的居民账户（首次发放或使用时创建，CREDIT 在前） (Your own resident accounts; each exists once first credited or used)',
  })
  myAccounts(@Ctx() ctx: ExchangeContext): Promise<Account[]> {
    const userId = requireSignedIn(ctx.viewer);
    return ledger.residentAccounts(ctx.em, userId);
  }

  @Query(() => Account, {
    nullable: true,
    description: '按 ID 查看账户：本人、本社区工作人员（社区账户）或联邦管理员 (An account by id: its resident, its community\'s staff, or federation admins)',
  })
  async account(@Arg('id', () => ID) id: string, @Ctx() ctx: ExchangeContext): Promise<Account | null> {
    requireSignedIn(ctx.viewer);
    const account = await ledger.getAccount(ctx.em, id);
    return account && requireAccountVisible(ctx.viewer, account);
  }

  @FieldResolver(() => ID, { nullable: true, description: '所属社区（联邦账户为空） (The account\'s community; null for federation accounts)' })
  communityId(@Root() account: Account): string | null {
    return account.community?.id ?? null;
  }

  @FieldResolver(() => Int, { description: '余额：已入账贷方减已入账借方 (Balance: posted credits − posted debits)' })
  balance(@Root() account: Account): number {
    return balanceOf(account);
  }

  @FieldResolver(() => Int, { description: '待定借方：已预留、尚未入账 (Pending debits: held back, not yet posted)' })
  pending(@Root() account: Account): number {
    return account.debitsPending;
  }

  @FieldResolver(() => Int, { description: '可用：余额减待定借方 (Available: balance − pending debits)' })
  available(@Root() account: Account): number {
    return availableOf(account);
  }

  @FieldResolver(() => TransferConnection, { description: '转账记录，最新在前 (Transfers on this account, newest first)' })
  async transfers(@Root() account: Account, @Args() args: TransfersArgs, @Ctx() ctx: ExchangeContext): Promise<TransferConnection> {
    const page = await ledger.listAccountTransfers(ctx.em, account.id, args);
    return toConnection(page.transfers, page.hasNextPage, ledger.transferCursor);
  }
}

@Resolver(() => Transfer)
export class TransferResolver {
  @Mutation(() => Transfer, {
    description: '向本社区居民发放积分（社区管理员；按幂等键只执行一次） (Issue credit to a resident of your community; community admin; once per idempotency key)',
  })
  issueCredit(@Arg('input', () => IssueCreditInput) input: IssueCreditInput, @Ctx() ctx: ExchangeContext): Promise<Transfer> {
    const communityId = requireCommunityAdmin(ctx.viewer);
    return ledger.issueCredit(ctx.em, {
      communityId,
      residentId: input.residentId,
      amount: input.amount,
      unit: input.unit ?? LedgerUnit.CREDIT,
      memo: input.memo ?? null,
      transferId: input.idempotencyKey,
    });
  }

  @FieldResolver(() => ID)
  debitAccountId(@Root() transfer: Transfer): string {
    return transfer.debitAccount.id;
  }

  @FieldResolver(() => ID)
  creditAccountId(@Root() transfer: Transfer): string {
    return transfer.creditAccount.id;
  }

  @FieldResolver(() => ID, { nullable: true, description: '入账或撤销的待定转账 (The pending transfer a post or void resolves)' })
  pendingId(@Root() transfer: Transfer): string | null {
    return transfer.pending?.id ?? null;
  }

  @FieldResolver(() => TransferState, { description: '状态；过期未处理的待定转账为 EXPIRED (State; a pending transfer past its timeout is EXPIRED)' })
  state(@Root() transfer: Transfer): TransferState {
    return stateAt(transfer, new Date());
  }
}
