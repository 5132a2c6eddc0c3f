import { ForbiddenError, hasRole, isStaffOf, Role, UnauthenticatedError } from '@linli/subgraph-kit';
import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { recordRead } from '../audit/audit.service.js';
import { requireAdmin, requireHomeResident, requireStaff } from '../points/points.access.js';
import { assertServes } from '../resources/resource.resolver.js';
import { allocateFundHours, fundHoursLeft, listAllocations } from './allocation.service.js';
import { confirmService, disputeService, listRecords, logService } from './record.service.js';
import { FundAllocation, RecipientProxy, ServiceRecipient, ServiceRecord, ServiceRequest, TimebankSettings, Volunteer } from './timebank.entity.js';
import {
  AllocateFundHoursInput,
  CommunityArgs,
  DisputeArgs,
  LogServiceInput,
  ProxyInput,
  RecipientInput,
  RecordArgs,
  RecordsArgs,
  RequestsArgs,
  ServiceRequestInput,
  TimebankSettingsInput,
  VolunteerInput,
} from './timebank.inputs.js';
import * as timebank from './timebank.service.js';

function signedIn(ctx: CommunityContext): string {
  if (ctx.viewer.userId === null) throw new UnauthenticatedError();
  return ctx.viewer.userId;
}

@Resolver()
export class TimebankResolver {
  @Query(() => TimebankSettings, { nullable: true, description: '时间银行设置 (Time-bank policy)' })
  async timebankSettings(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<TimebankSettings> {
    assertServes(ctx, communityId);
    return timebank.getSettings(ctx.em);
  }

  @Mutation(() => TimebankSettings, { nullable: true, description: '修改时间银行设置（社区管理员） (Change the time-bank policy; community admin)' })
  async updateTimebankSettings(@Args() { communityId }: CommunityArgs, @Arg('input', () => TimebankSettingsInput) input: TimebankSettingsInput, @Ctx() ctx: CommunityContext): Promise<TimebankSettings> {
    assertServes(ctx, communityId);
    requireAdmin(ctx);
    return timebank.updateSettings(ctx.em, input);
  }

  @Mutation(() => Volunteer, { nullable: true, description: '登记或更新我的志愿者资料（本社区居民） (Register as a volunteer, or update your profile; residents)' })
  async registerVolunteer(@Args() { communityId }: CommunityArgs, @Arg('input', () => VolunteerInput) input: VolunteerInput, @Ctx() ctx: CommunityContext): Promise<Volunteer> {
    assertServes(ctx, communityId);
    return timebank.registerVolunteer(ctx.em, requireHomeResident(ctx), input);
  }

  @Query(() => [Volunteer], { nullable: true, description: '志愿者名录（工作人员） (Volunteers; staff)' })
  async volunteers(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<Volunteer[]> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    return timebank.listVolunteers(ctx.em);
  }

  @Mutation(() => ServiceRecipient, { nullable: true, description: '登记服务对象（工作人员） (Register a service recipient; staff)' })
  async registerServiceRecipient(@Args() { communityId }: CommunityArgs, @Arg('input', () => RecipientInput) input: RecipientInput, @Ctx() ctx: CommunityContext): Promise<ServiceRecipient> {
    assertServes(ctx, communityId);
    return timebank.registerRecipient(ctx.em, requireStaff(ctx), input);
  }

  @Query(() => [ServiceRecipient], { nullable: true, description: '服务对象，独居在前（工作人员，记入访问日志） (Service recipients, those living alone first; staff, audited)' })
  async serviceRecipients(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<ServiceRecipient[]> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    const recipients = await timebank.listRecipients(ctx.em);
    await recordRead(ctx.em, ctx.viewer, { subjectType: 'ServiceRecipient', subjectIds: recipients.map((r) => r.userId), fields: ['displayName', 'livesAlone'] }, ctx.clock.now());
    return recipients;
  }

  @Mutation(() => RecipientProxy, { nullable: true, description: '登记代办人：家属、网格员等可代为申请和确认（工作人员） (Register someone to act for a recipient; staff)' })
  async addRecipientProxy(@Args() { communityId }: CommunityArgs, @Arg('input', () => ProxyInput) input: ProxyInput, @Ctx() ctx: CommunityContext): Promise<RecipientProxy> {
    assertServes(ctx, communityId);
    return timebank.addProxy(ctx.em, requireStaff(ctx), input);
  }

  @Mutation(() => ServiceRequest, {
    nullable: true,
    description: '提出服务需求：本人、其代办人或本社区工作人员、网格员；可用付款人预留的时间支付 (Request a service: the recipient, their proxy, or staff and grid workers; may be paid from a payer\'s hours hold)',
  })
  async requestService(@Args() { communityId }: CommunityArgs, @Arg('input', () => ServiceRequestInput) input: ServiceRequestInput, @Ctx() ctx: CommunityContext): Promise<ServiceRequest> {
    assertServes(ctx, communityId);
    const userId = signedIn(ctx);
    const onBehalf = ctx.viewer.homeCommunityId === ctx.communityId && hasRole(ctx.viewer, Role.COMMUNITY_STAFF, Role.COMMUNITY_ADMIN, Role.GRID_WORKER);
    if (!onBehalf && !(await timebank.actsFor(ctx.em, userId, input.recipientId))) {
      throw new ForbiddenError('只有本人、代办人或本社区工作人员可以提出需求', 'Only the recipient, their proxy or staff of this community may request a service', { recipientId: input.recipientId });
    }
    return timebank.requestService(ctx.em, ctx.exchange, ctx.communityId, userId, input, ctx.clock.now());
  }

  @Query(() => [ServiceRequest], { nullable: true, description: '服务需求，最早在前（本社区志愿者与工作人员） (Service requests, oldest first; volunteers and staff of this community)' })
  async serviceRequests(@Args() { communityId, status }: RequestsArgs, @Ctx() ctx: CommunityContext): Promise<ServiceRequest[]> {
    assertServes(ctx, communityId);
    const userId = signedIn(ctx);
    if (!isStaffOf(ctx.viewer, ctx.communityId)) {
      requireHomeResident(ctx);
      await timebank.activeVolunteer(ctx.em, userId);
    }
    return timebank.listRequests(ctx.em, { status });
  }

  @Mutation(() => ServiceRecord, { nullable: true, description: '登记一次已完成的服务，整小时计（本社区志愿者） (Log a service you did, in whole hours; volunteers)' })
  async logService(@Args() { communityId }: CommunityArgs, @Arg('input', () => LogServiceInput) input: LogServiceInput, @Ctx() ctx: CommunityContext): Promise<ServiceRecord> {
    assertServes(ctx, communityId);
    return logService(ctx.em, requireHomeResident(ctx), input, ctx.clock.now());
  }

  @Mutation(() => ServiceRecord, {
    nullable: true,
    description: '确认服务，时间随即存入志愿者账户（服务对象或其代办人；志愿者不能确认自己的服务） (Confirm a service: its hours are credited; the recipient or their proxy, never the volunteer)',
  })
  async confirmService(@Args() { communityId, id }: RecordArgs, @Ctx() ctx: CommunityContext): Promise<ServiceRecord> {
    assertServes(ctx, communityId);
    return confirmService(ctx.em, ctx, id, signedIn(ctx));
  }

  @Mutation(() => ServiceRecord, { nullable: true, description: '对服务提出异议（服务对象或其代办人） (Dispute a service; the recipient or their proxy)' })
  async disputeService(@Args() { communityId, id, reason }: DisputeArgs, @Ctx() ctx: CommunityContext): Promise<ServiceRecord> {
    assertServes(ctx, communityId);
    return disputeService(ctx.em, id, signedIn(ctx), reason, ctx.clock.now());
  }

  @Query(() => [ServiceRecord], { nullable: true, description: '与我有关的服务记录：我做的、为我或我代办的人做的 (Services you did, or done for you or those you act for)' })
  async myServiceRecords(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<ServiceRecord[]> {
    assertServes(ctx, communityId);
    const userId = signedIn(ctx);
    return listRecords(ctx.em, { volunteerId: userId, recipientIds: await timebank.recipientsActedFor(ctx.em, userId) });
  }

  @Query(() => [ServiceRecord], { nullable: true, description: '服务记录（本社区工作人员，记入访问日志） (Service records; staff of this community, audited)' })
  async serviceRecords(@Args() { communityId, volunteerId, recipientId, status }: RecordsArgs, @Ctx() ctx: CommunityContext): Promise<ServiceRecord[]> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    const records = await listRecords(ctx.em, { volunteerId, recipientIds: recipientId ? [recipientId] : null, status });
    await recordRead(ctx.em, ctx.viewer, { subjectType: 'ServiceRecord', subjectIds: records.map((r) => r.id), fields: ['volunteerId', 'recipient', 'note'] }, ctx.clock.now());
    return records;
  }

  @Mutation(() => FundAllocation, {
    nullable: true,
    description: '把社区基金的时间分配给服务对象，独居老人优先（工作人员） (Allocate donated hours to a recipient, elders living alone first; staff)',
  })
  async allocateFundHours(@Args() { communityId }: CommunityArgs, @Arg('input', () => AllocateFundHoursInput) input: AllocateFundHoursInput, @Ctx() ctx: CommunityContext): Promise<FundAllocation> {
    assertServes(ctx, communityId);
    const staffId = requireStaff(ctx);
    return allocateFundHours(ctx.em, ctx.exchange, ctx.communityId, staffId, input, ctx.clock.now());
  }

  @Query(() => [FundAllocation], { nullable: true, description: '基金分配记录（工作人员） (Allocations of donated hours; staff)' })
  async fundAllocations(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<FundAllocation[]> {
    assertServes(ctx, communityId);
    requireStaff(ctx);
    return listAllocations(ctx.em);
  }
}

@Resolver(() => ServiceRecipient)
export class ServiceRecipientResolver {
  @FieldResolver(() => Boolean, { nullable: true, description: '独居（仅工作人员可见） (Lives alone; staff only)' })
  livesAlone(@Root() recipient: ServiceRecipient, @Ctx() ctx: CommunityContext): boolean | null {
    return isStaffOf(ctx.viewer, ctx.communityId) ? recipient.livesAlone : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: '尚余的基金分配（小时，仅工作人员可见） (Donated hours still allocated; staff only)' })
  async fundHoursLeft(@Root() recipient: ServiceRecipient, @Ctx() ctx: CommunityContext): Promise<number | null> {
    return isStaffOf(ctx.viewer, ctx.communityId) ? fundHoursLeft(ctx.em, recipient.userId) : null;
  }
}

function recipientOf(ctx: CommunityContext, row: { recipient: ServiceRecipient }): Promise<ServiceRecipient> {
  return ctx.em.findOneOrFail(ServiceRecipient, { userId: row.recipient.userId });
}

@Resolver(() => ServiceRecord)
export class ServiceRecordResolver {
  @FieldResolver(() => ServiceRecipient)
  recipient(@Root() record: ServiceRecord, @Ctx() ctx: CommunityContext): Promise<ServiceRecipient> {
    return recipientOf(ctx, record);
  }

  @FieldResolver(() => ServiceRequest, { nullable: true })
  request(@Root() record: ServiceRecord, @Ctx() ctx: CommunityContext): Promise<ServiceRequest | null> {
    return record.request ? ctx.em.findOneOrFail(ServiceRequest, { id: record.request.id }) : Promise.resolve(null);
  }
}

@Resolver(() => ServiceRequest)
export class ServiceRequestResolver {
  @FieldResolver(() => ServiceRecipient)
  recipient(@Root() request: ServiceRequest, @Ctx() ctx: CommunityContext): Promise<ServiceRecipient> {
    return recipientOf(ctx, request);
  }
}

@Resolver(() => FundAllocation)
export class FundAllocationResolver {
  @FieldResolver(() => ServiceRecipient)
  recipient(@Root() allocation: FundAllocation, @Ctx() ctx: CommunityContext): Promise<ServiceRecipient> {
    return recipientOf(ctx, allocation);
  }
}

@Resolver(() => RecipientProxy)
export class RecipientProxyResolver {
  @FieldResolver(() => ID)
  recipientId(@Root() proxy: RecipientProxy): string {
    return proxy.recipient.userId;
  }
}
