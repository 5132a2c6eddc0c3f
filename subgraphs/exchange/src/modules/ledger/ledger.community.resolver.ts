import { ForbiddenError, hasRole, isCommunityService, isStaffOf, Role, type Viewer } from '@linli/subgraph-kit';
import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { requireSignedIn } from '../../access.js';
import type { ExchangeContext } from '../../context.js';
import { Account, LedgerUnit } from './account.entity.js';
import { communityFundAccount } from './ledger.accounts.js';
import * as community from './ledger.community.js';
import {
  CommunityFundArgs,
  DonateHoursInput,
  HoldHoursInput,
  HoursHoldArgs,
  IssueFromCommunityInput,
  PayFromCommunityFundInput,
  SettleHoursHoldInput,
} from './ledger.community.inputs.js';
import { NotCommunityServiceError } from './ledger.errors.js';
import { Transfer } from './transfer.entity.js';

function requireCommunityService(viewer: Viewer, communityId: string): void {
  requireSignedIn(viewer);
  if (!isCommunityService(viewer, communityId)) throw new NotCommunityServiceError(communityId);
}

/** A resident moving their own hours: signed in, with a home community. */
function requireResident(viewer: Viewer): { userId: string; homeCommunityId: string } {
  const userId = requireSignedIn(viewer);
  if (viewer.homeCommunityId === null || hasRole(viewer, Role.SERVICE)) {
    throw new ForbiddenError('只有社区居民可以支配自己的时间', 'Only a resident of a community may move their own hours');
  }
  return { userId, homeCommunityId: viewer.homeCommunityId };
}

/**
 * The ledger as communities' points and time banks use it (ledger.community.ts): the
 * community's own service issues, pays from its fund and settles hours holds; residents hold
 * and donate their own hours.
 */
@Resolver()
export class CommunityLedgerResolver {
  @Mutation(() => Transfer, { description: '从本社区发行账户向本社区居民或社区基金发放（仅该社区自身服务；按幂等键只执行一次） (Issue to a resident of the community or its fund; its own service only)' })
  issueFromCommunity(@Arg('input', () => IssueFromCommunityInput) input: IssueFromCommunityInput, @Ctx() ctx: ExchangeContext): Promise<Transfer> {
    requireCommunityService(ctx.viewer, input.communityId);
    return community.issueFromCommunity(ctx.em, {
      communityId: input.communityId,
      residentId: input.residentId ?? null,
      amount: input.amount,
      unit: input.unit,
      memo: input.memo ?? null,
      reference: input.reference ?? null,
      maxBalance: input.maxBalance ?? null,
      transferId: input.idempotencyKey,
    });
  }

  @Mutation(() => Transfer, { description: '从社区基金支付本社区居民（仅该社区自身服务） (Pay a resident from the community fund; its own service only)' })
  payFromCommunityFund(@Arg('input', () => PayFromCommunityFundInput) input: PayFromCommunityFundInput, @Ctx() ctx: ExchangeContext): Promise<Transfer> {
    requireCommunityService(ctx.viewer, input.communityId);
    return community.payFromCommunityFund(ctx.em, {
      communityId: input.communityId,
      residentId: input.residentId,
      amount: input.amount,
      unit: input.unit ?? LedgerUnit.HOUR,
      memo: input.memo ?? null,
      reference: input.reference ?? null,
      transferId: input.idempotencyKey,
    });
  }

  @Mutation(() => Transfer, { description: '以付款人的时间预留支付服务志愿者（仅服务所在社区自身服务） (Pay the serving volunteer from an hours hold; that community\'s own service only)' })
  settleHoursHold(@Arg('input', () => SettleHoursHoldInput) input: SettleHoursHoldInput, @Ctx() ctx: ExchangeContext): Promise<Transfer> {
    requireCommunityService(ctx.viewer, input.communityId);
    return community.settleHoursHold(ctx.em, {
      communityId: input.communityId,
      holdId: input.holdId,
      residentId: input.residentId,
      transferId: input.idempotencyKey,
    });
  }

  @Mutation(() => Transfer, { description: '预留自己的时间，支付任一社区的服务；未结算则 90 天后退回 (Set aside your own hours for a service in any community; returned after 90 days unless settled)' })
  holdHours(@Arg('input', () => HoldHoursInput) input: HoldHoursInput, @Ctx() ctx: ExchangeContext): Promise<Transfer> {
    const payer = requireResident(ctx.viewer);
    return community.holdHours(ctx.em, payer, { communityId: input.communityId, hours: input.hours, reference: input.reference, transferId: input.idempotencyKey });
  }

  @Mutation(() => Transfer, { description: '把自己的时间捐给本社区基金 (Give your own hours to your community\'s fund)' })
  donateHours(@Arg('input', () => DonateHoursInput) input: DonateHoursInput, @Ctx() ctx: ExchangeContext): Promise<Transfer> {
    const donor = requireResident(ctx.viewer);
    return community.donateHours(ctx.em, donor, { hours: input.hours, transferId: input.idempotencyKey });
  }

  @Query(() => Transfer, { nullable: true, description: '支付给本社区的时间预留，不是则为空（仅该社区自身服务） (An hours hold paying into the community; its own service only)' })
  hoursHold(@Args() { communityId, id }: HoursHoldArgs, @Ctx() ctx: ExchangeContext): Promise<Transfer | null> {
    requireCommunityService(ctx.viewer, communityId);
    return community.findHoursHold(ctx.em, communityId, id);
  }

  @Query(() => Account, { nullable: true, description: '社区基金账户（本社区工作人员、该社区自身服务或联邦管理员） (The community fund; its staff, its own service, or federation admins)' })
  communityFund(@Args() { communityId, unit }: CommunityFundArgs, @Ctx() ctx: ExchangeContext): Promise<Account> {
    requireSignedIn(ctx.viewer);
    if (!isStaffOf(ctx.viewer, communityId) && !isCommunityService(ctx.viewer, communityId) && !hasRole(ctx.viewer, Role.FEDERATION_ADMIN)) {
      throw new ForbiddenError('无权查看该社区基金', 'You may not see this community\'s fund', { communityId });
    }
    return communityFundAccount(ctx.em, communityId, unit ?? LedgerUnit.HOUR);
  }
}
