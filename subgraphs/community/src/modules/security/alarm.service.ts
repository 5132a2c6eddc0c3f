import { decodeCursor, encodeCursor, pageSize, type LinliEvent } from '@linli/subgraph-kit';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { CommunityServices } from '../../context.js';
import { isUuid } from '../resources/resource.errors.js';
import { ALARM_RAISED, ALARM_UPDATED, alarmEvent } from './alarm.events.js';
import { Alarm, AlarmActorKind, AlarmSignal, AlarmSeverity, AlarmStatus, AlarmTransition, AlarmType, OPEN_ALARM_STATUSES } from './alarm.entity.js';
import { DEFAULT_SEVERITY, NEXT_STATUSES, NOTE_REQUIRED } from './alarm.lifecycle.js';
import { SecurityDevice } from './device.entity.js';
import { AlarmNotFoundError, AlarmTransitionError, DeviceNotFoundError, SecurityRuleError } from './security.errors.js';
import { getSettings, slaOf } from './settings.service.js';

const MINUTE = 60_000;

/** What raising and moving alarms need of the community: who it is and where events go. */
export type AlarmServices = Pick<CommunityServices, 'communityId' | 'events'>;

export interface Actor {
  kind: AlarmActorKind;
  /** The person's or device's id; null for the system. */
  id: string | null;
}

export interface RaiseAlarm {
  deviceId: string;
  type: AlarmType;
  /** Default by type (DEFAULT_SEVERITY). */
  severity?: AlarmSeverity | null;
  /** The device's key for this signal; a retry with the same key is counted once. */
  idempotencyKey?: string | null;
  actor: Actor;
}

/** What became of a signal: a new alarm, folded into an open one, or a retry of one already received. */
export type RaiseOutcome = 'RAISED' | 'FOLDED' | 'REPLAYED';

export interface Raised {
  alarm: Alarm;
  outcome: RaiseOutcome;
  /** To publish once the transaction has committed; null for a retry. */
  event: LinliEvent | null;
}

/**
 * Records one alarm signal inside the caller's transaction. Signals of one device are
 * serialised by its row lock, so two signals at the same moment cannot both open an alarm.
 * Dedup: a signal of the same type as an open alarm of this device, within the community's
 * window (settings.dedupWindowMinutes) of that alarm's last raise, folds into it (count + 1).
 * The severity and deadlines of a folded alarm stay as first raised.
 */
export async function raiseAlarmIn(tx: EntityManager, communityId: string, input: RaiseAlarm, now: Date): Promise<Raised> {
  const [locked] = await tx.execute<Array<{ id: string }>>('select id from security_device where id = ? for update', [input.deviceId]);
  if (!locked) throw new DeviceNotFoundError(input.deviceId);
  const device = tx.getReference(SecurityDevice, input.deviceId);

  if (input.idempotencyKey) {
    const earlier = await tx.findOne(AlarmSignal, { device, idempotencyKey: input.idempotencyKey }, { populate: ['alarm'] });
    if (earlier) return { alarm: earlier.alarm, outcome: 'REPLAYED', event: null };
  }

  const settings = await getSettings(tx);
  const open =
    settings.dedupWindowMinutes > 0
      ? await tx.findOne(
          Alarm,
          {
            device,
            type: input.type,
            status: { $in: [...OPEN_ALARM_STATUSES] },
            lastRaisedAt: { $gte: new Date(now.getTime() - settings.dedupWindowMinutes * MINUTE) },
          },
          { orderBy: { lastRaisedAt: 'desc' }, lockMode: LockMode.PESSIMISTIC_WRITE },
        )
      : null;
  if (open) {
    open.count += 1;
    if (now > open.lastRaisedAt) open.lastRaisedAt = now;
    tx.create(AlarmSignal, { alarm: open, device, idempotencyKey: input.idempotencyKey ?? null, receivedAt: now });
    await tx.flush();
    return { alarm: open, outcome: 'FOLDED', event: alarmEvent(ALARM_UPDATED, communityId, open, now, { change: 'repeat' }) };
  }

  const severity = input.severity ?? DEFAULT_SEVERITY[input.type];
  const sla = slaOf(settings, severity);
  const due = (minutes: number) => new Date(now.getTime() + minutes * MINUTE);
  const alarm = tx.create(Alarm, {
    type: input.type,
    severity,
    device,
    raisedAt: now,
    lastRaisedAt: now,
    acknowledgeDueAt: due(sla.ACKNOWLEDGE),
    onSceneDueAt: due(sla.ON_SCENE),
    resolveDueAt: due(sla.RESOLVE),
    updatedAt: now,
  });
  tx.create(AlarmTransition, { alarm, from: null, to: AlarmStatus.RAISED, actorKind: input.actor.kind, actorId: input.actor.id, at: now });
  tx.create(AlarmSignal, { alarm, device, idempotencyKey: input.idempotencyKey ?? null, receivedAt: now });
  await tx.flush();
  return { alarm, outcome: 'RAISED', event: alarmEvent(ALARM_RAISED, communityId, alarm, now) };
}

/** Raises (or folds, or recognises a retry of) an alarm, and announces it once committed. */
export async function raiseAlarm(em: EntityManager, services: AlarmServices, input: RaiseAlarm, now: Date): Promise<Raised> {
  const raised = await em.transactional((tx) => raiseAlarmIn(tx, services.communityId, input, now));
  if (raised.event) await services.events.publish(raised.event);
  return raised;
}

export interface AlarmStep {
  alarmId: string;
  to: AlarmStatus;
  note?: string | null;
  /** Who is sent; only with DISPATCHED. */
  assigneeId?: string | null;
}

/**
 * Moves an alarm one step along its lifecycle (NEXT_STATUSES), recording who, when and why.
 * Asking for the status it already has changes nothing and returns it, so a retried step is
 * harmless. Anything else out of order is BAD_USER_INPUT with `extensions.rule = 'transition'`.
 */
export async function moveAlarm(em: EntityManager, services: AlarmServices, step: AlarmStep, actor: Actor, now: Date): Promise<Alarm> {
  if (!isUuid(step.alarmId)) throw new AlarmNotFoundError(step.alarmId);
  const note = step.note?.trim() ?? '';
  const { alarm, changed } = await em.transactional(async (tx) => {
    const current = await tx.findOne(Alarm, { id: step.alarmId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!current) throw new AlarmNotFoundError(step.alarmId);
    if (current.status === step.to) return { alarm: current, changed: false };
    const allowed = NEXT_STATUSES[current.status];
    if (!allowed.includes(step.to)) throw new AlarmTransitionError(current.id, current.status, step.to, allowed);
    if (NOTE_REQUIRED.includes(step.to) && !note) {
      throw new SecurityRuleError('note', '请说明处置情况或误报原因', `Moving to ${step.to} needs a note: what was done, or why it was no alarm`, { to: step.to });
    }
    if (step.assigneeId && step.to !== AlarmStatus.DISPATCHED) {
      throw new SecurityRuleError('assignee', '只有派遣时可以指定处置人员', 'An assignee is given only when dispatching', { to: step.to });
    }
    const from = current.status;
    current.status = step.to;
    current.updatedAt = now;
    switch (step.to) {
      case AlarmStatus.ACKNOWLEDGED:
        current.acknowledgedAt = now;
        break;
      case AlarmStatus.DISPATCHED:
        current.dispatchedAt = now;
        current.assigneeId = step.assigneeId ?? actor.id;
        break;
      case AlarmStatus.ON_SCENE:
        current.onSceneAt = now;
        break;
      case AlarmStatus.RESOLVED:
        current.resolvedAt = now;
        break;
      case AlarmStatus.CLOSED:
      case AlarmStatus.FALSE_ALARM:
        current.closedAt = now;
        break;
      case AlarmStatus.RAISED:
        break;
    }
    tx.create(AlarmTransition, { alarm: current, from, to: step.to, actorKind: actor.kind, actorId: actor.id, at: now, note });
    return { alarm: current, changed: true };
  });
  if (changed) await services.events.publish(alarmEvent(ALARM_UPDATED, services.communityId, alarm, now, { change: 'status' }));
  return alarm;
}

export async function getAlarm(em: EntityManager, alarmId: string): Promise<Alarm | null> {
  if (!isUuid(alarmId)) return null;
  return em.findOne(Alarm, { id: alarmId }, { populate: ['device'] });
}

export interface AlarmFilter {
  statuses?: readonly AlarmStatus[] | null;
  /** true: only RAISED…ON_SCENE; false: only ended ones. */
  open?: boolean | null;
  type?: AlarmType | null;
  deviceId?: string | null;
  first?: number | null;
  after?: string | null;
}

export interface AlarmPage {
  alarms: Alarm[];
  hasNextPage: boolean;
}

export function alarmCursor(a: Alarm): string {
  return encodeCursor([a.raisedAt.toISOString(), a.id]);
}

/** Newest first, by keyset on (raisedAt desc, id desc). */
export async function listAlarms(em: EntityManager, filter: AlarmFilter): Promise<AlarmPage> {
  const limit = pageSize(filter.first);
  const after = decodeCursor(filter.after, 2) as [string, string] | null;
  const where: Record<string, unknown>[] = [];
  if (filter.statuses?.length) where.push({ status: { $in: [...filter.statuses] } });
  if (filter.open === true) where.push({ status: { $in: [...OPEN_ALARM_STATUSES] } });
  if (filter.open === false) where.push({ status: { $nin: [...OPEN_ALARM_STATUSES] } });
  if (filter.type) where.push({ type: filter.type });
  if (filter.deviceId) {
    if (!isUuid(filter.deviceId)) return { alarms: [], hasNextPage: false };
    where.push({ device: filter.deviceId });
  }
  if (after) {
    const at = new Date(after[0]);
    where.push({ $or: [{ raisedAt: { $lt: at } }, { raisedAt: at, id: { $lt: after[1] } }] });
  }
  const rows = await em.find(Alarm, where.length ? { $and: where } : {}, { orderBy: { raisedAt: 'desc', id: 'desc' }, limit: limit + 1, populate: ['device'] });
  return { alarms: rows.slice(0, limit), hasNextPage: rows.length > limit };
}

const STEP_ORDER = Object.values(AlarmStatus);

/** Oldest first; steps taken at the same instant in lifecycle order (it only moves forward). */
export async function historyOf(em: EntityManager, alarmId: string): Promise<AlarmTransition[]> {
  const steps = await em.find(AlarmTransition, { alarm: alarmId });
  return steps.sort((a, b) => a.at.getTime() - b.at.getTime() || STEP_ORDER.indexOf(a.to) - STEP_ORDER.indexOf(b.to));
}
