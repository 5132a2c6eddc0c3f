import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { PointConversion } from './conversion.entity.js';
import * as conversions from './conversion.service.js';
import { requireHomeResident } from './points.access.js';
import { CommunityArgs, ConvertPointsInput } from './points.inputs.js';

@Resolver(() => PointConversion)
export class PointConversionResolver {
  @Mutation(() => PointConversion, {
    nullable: true,
    description:
      '积分转为共享积分：先扣积分，再由交换中心发放；交换中心暂不可达时为 PENDING，稍后自动完成；拒绝则退回积分（本社区居民；按幂等键只执行一次） (Convert points into shared credit: PENDING until the exchange confirms, DONE, or REFUNDED; once per idempotency key)',
  })
  async convertPointsToCredit(@Args() { communityId }: CommunityArgs, @Arg('input', () => ConvertPointsInput) input: ConvertPointsInput, @Ctx() ctx: CommunityContext): Promise<PointConversion> {
    assertServes(ctx, communityId);
    const residentId = requireHomeResident(ctx);
    return conversions.convertPointsToCredit(ctx.em, ctx, { residentId, points: input.points, idempotencyKey: input.idempotencyKey });
  }

  @Query(() => [PointConversion], { nullable: true, description: '我的积分转换 (Your conversions)' })
  async myPointConversions(@Args() { communityId }: CommunityArgs, @Ctx() ctx: CommunityContext): Promise<PointConversion[]> {
    assertServes(ctx, communityId);
    return conversions.residentConversions(ctx.em, requireHomeResident(ctx));
  }
}
