import { servedByGateway } from '@linli/subgraph-kit';
import { Arg, ID, Resolver, Subscription } from 'type-graphql';
import { GridCase } from '../grids/case.entity.js';
import { Alarm } from '../security/alarm.entity.js';

/**
 * The community's live fields. Declared here, where `alarm.raised`, `alarm.updated` and
 * `case.escalated` are published, so that they compose into the supergraph; served by the
 * gateway (graphql-ws and SSE), which authorises each subscriber and reads the announced
 * alarm or case back through `alarm(communityId, id)` / `case(communityId, id)` as that
 * subscriber. Nothing here ever runs.
 */
@Resolver()
export class CommunityLiveResolver {
  @Subscription(() => Alarm, {
    nullable: true,
    subscribe: servedByGateway,
    description: '本社区新告警（本社区安保与工作人员） (An alarm was raised in the community; its security staff and staff)',
  })
  alarmRaised(@Arg('communityId', () => ID) _communityId: string): Alarm {
    return servedByGateway();
  }

  @Subscription(() => Alarm, {
    nullable: true,
    subscribe: servedByGateway,
    description: '本社区告警有变化：状态、重复、升级 (An alarm of the community changed: status, repeat, escalation)',
  })
  alarmUpdated(@Arg('communityId', () => ID) _communityId: string): Alarm {
    return servedByGateway();
  }

  @Subscription(() => GridCase, {
    nullable: true,
    subscribe: servedByGateway,
    description: '本社区事件超时升级（工作人员；网格员见本网格） (A case of the community was escalated; staff, grid workers for their grids)',
  })
  caseEscalated(@Arg('communityId', () => ID) _communityId: string): GridCase {
    return servedByGateway();
  }
}
