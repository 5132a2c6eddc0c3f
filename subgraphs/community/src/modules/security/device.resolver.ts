import { toConnection } from '@linli/subgraph-kit';
import { Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { CommunityContext } from '../../context.js';
import { assertServes } from '../resources/resource.resolver.js';
import { SecurityDevice } from './device.entity.js';
import * as devices from './device.service.js';
import { DeviceArgs, DeviceRegistration, DevicesArgs, RegisterDeviceArgs, SecurityDeviceConnection } from './device.types.js';
import { assertCanOperate, assertCanWatch } from './security.access.js';

@Resolver(() => SecurityDevice)
export class SecurityDeviceResolver {
  @Query(() => SecurityDeviceConnection, { nullable: true, description: '安防设备（本社区安保和工作人员） (Security devices; security staff and staff)' })
  async securityDevices(@Args() { communityId, ...filter }: DevicesArgs, @Ctx() ctx: CommunityContext): Promise<SecurityDeviceConnection> {
    assertServes(ctx, communityId);
    assertCanWatch(ctx.viewer, ctx.communityId);
    const page = await devices.listDevices(ctx.em, filter);
    return toConnection(page.devices, page.hasNextPage, devices.deviceCursor);
  }

  @Query(() => SecurityDevice, { nullable: true, description: '按 ID 查看安防设备 (A security device by id)' })
  async securityDevice(@Args() { communityId, id }: DeviceArgs, @Ctx() ctx: CommunityContext): Promise<SecurityDevice | null> {
    assertServes(ctx, communityId);
    assertCanWatch(ctx.viewer, ctx.communityId);
    return devices.getDevice(ctx.em, id);
  }

  @Mutation(() => DeviceRegistration, { nullable: true, description: '登记设备并签发凭证（安保人员、管理员） (Register a device and issue its credential)' })
  async registerDevice(@Args() { communityId, input }: RegisterDeviceArgs, @Ctx() ctx: CommunityContext): Promise<DeviceRegistration> {
    assertServes(ctx, communityId);
    assertCanOperate(ctx.viewer, ctx.communityId);
    return devices.registerDevice(ctx.em, input, ctx.clock.now());
  }

  @Mutation(() => DeviceRegistration, { nullable: true, description: '更换设备凭证，旧密钥立即失效 (Issue a new credential; the old secret stops working)' })
  async rotateDeviceCredential(@Args() { communityId, id }: DeviceArgs, @Ctx() ctx: CommunityContext): Promise<DeviceRegistration> {
    assertServes(ctx, communityId);
    assertCanOperate(ctx.viewer, ctx.communityId);
    return devices.rotateCredential(ctx.em, id, ctx.clock.now());
  }

  @Mutation(() => SecurityDevice, { nullable: true, description: '停用设备：拒绝其凭证，不再监测心跳 (Disable a device: its credential is refused)' })
  async disableDevice(@Args() { communityId, id }: DeviceArgs, @Ctx() ctx: CommunityContext): Promise<SecurityDevice> {
    assertServes(ctx, communityId);
    assertCanOperate(ctx.viewer, ctx.communityId);
    return devices.disableDevice(ctx.em, id, ctx.clock.now());
  }

  @Mutation(() => SecurityDevice, { nullable: true, description: '重新启用设备（离线，直到再次收到请求） (Enable a disabled device again)' })
  async enableDevice(@Args() { communityId, id }: DeviceArgs, @Ctx() ctx: CommunityContext): Promise<SecurityDevice> {
    assertServes(ctx, communityId);
    assertCanOperate(ctx.viewer, ctx.communityId);
    return devices.enableDevice(ctx.em, id, ctx.clock.now());
  }
}
