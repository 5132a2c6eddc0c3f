import { AccessEvent } from './access.entity.js';
import { AccessEventResolver } from './access.resolver.js';
import { Alarm, AlarmEscalation, AlarmSignal, AlarmTransition } from './alarm.entity.js';
import { AlarmResolver } from './alarm.resolver.js';
import { alarmSlaJob } from './alarm.sla.js';
import { DeviceCredential } from './credential.entity.js';
import { deviceHealthJob } from './device.health.js';
import { SecurityDevice } from './device.entity.js';
import { SecurityDeviceResolver } from './device.resolver.js';
import { DeviceIngestionResolver } from './ingestion.resolver.js';
import { SecuritySettings } from './settings.entity.js';
import { SecuritySettingsResolver } from './settings.resolver.js';
import { CommunitySafetyResolver } from './stats.resolver.js';

/** Smart security (安防): what the community subgraph registers from this module. */
export const securityEntities = [SecurityDevice, DeviceCredential, Alarm, AlarmTransition, AlarmSignal, AlarmEscalation, SecuritySettings, AccessEvent];

export const securityResolvers = [
  SecurityDeviceResolver,
  AlarmResolver,
  SecuritySettingsResolver,
  DeviceIngestionResolver,
  AccessEventResolver,
  CommunitySafetyResolver,
] as const;

export const securityJobs = [deviceHealthJob, alarmSlaJob];
