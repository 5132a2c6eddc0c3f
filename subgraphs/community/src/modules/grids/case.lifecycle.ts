import { CaseStatus } from './case.entity.js';

/**
 * The lifecycle of a case, one step at a time:
 *
 *   REPORTED → REGISTERED → DISPATCHED → IN_PROGRESS → RESOLVED → VERIFIED → CLOSED
 *
 * and who may take each step. "Handler": community staff, or a worker of the case's grid.
 * "Assignee": the worker the case is dispatched to (staff may act for them). "Verifier": a
 * handler other than the assignee — nobody checks their own work.
 */
export type CaseActor = 'handler' | 'assignee' | 'verifier';

export interface CaseStep {
  from: CaseStatus;
  to: CaseStatus;
  by: CaseActor;
}

export const CASE_STEPS: readonly CaseStep[] = [
  { from: CaseStatus.REPORTED, to: CaseStatus.REGISTERED, by: 'handler' },
  { from: CaseStatus.REGISTERED, to: CaseStatus.DISPATCHED, by: 'handler' },
  { from: CaseStatus.DISPATCHED, to: CaseStatus.IN_PROGRESS, by: 'assignee' },
  { from: CaseStatus.IN_PROGRESS, to: CaseStatus.RESOLVED, by: 'assignee' },
  { from: CaseStatus.RESOLVED, to: CaseStatus.VERIFIED, by: 'verifier' },
  { from: CaseStatus.VERIFIED, to: CaseStatus.CLOSED, by: 'handler' },
];

export function stepOf(from: CaseStatus, to: CaseStatus): CaseStep | null {
  return CASE_STEPS.find((s) => s.from === from && s.to === to) ?? null;
}

/** The deadline runs until the case is resolved. */
export const OPEN_STATUSES: readonly CaseStatus[] = [CaseStatus.REPORTED, CaseStatus.REGISTERED, CaseStatus.DISPATCHED, CaseStatus.IN_PROGRESS];

/** The reporter may evaluate once the work is done. */
export const EVALUABLE_STATUSES: readonly CaseStatus[] = [CaseStatus.RESOLVED, CaseStatus.VERIFIED, CaseStatus.CLOSED];

/** Escalation stops at the street office: level 3. */
export const MAX_ESCALATION_LEVEL = 3;
