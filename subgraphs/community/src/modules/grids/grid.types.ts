import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ResidentRemovalResult } from './resident.removal.js';

@ObjectType({ description: '居民迁出的结果 (What removing a resident did)' })
export class ResidentRemoval implements ResidentRemovalResult {
  @Field(() => ID)
  residentId: string;

  @Field(() => ID, { description: '历史记录改用的化名 (The pseudonym their history now carries)' })
  pseudonym: string;

  @Field(() => Int, { description: '改为化名的走访记录数 (Visits pseudonymised)' })
  visitsPseudonymised: number;

  @Field(() => Int, { description: '改为化名的事件数 (Cases pseudonymised)' })
  casesPseudonymised: number;
}
