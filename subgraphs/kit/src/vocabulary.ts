import { registerEnumType } from 'type-graphql';

/**
 * Domain words more than one subgraph speaks. Defined once here so the exchange and every
 * community print the same enum into their SDL.
 */
export enum ResourceKind {
  VENUE = 'VENUE',
  EDUCATION_SEATS = 'EDUCATION_SEATS',
  MEDICAL_SERVICE = 'MEDICAL_SERVICE',
  EQUIPMENT = 'EQUIPMENT',
  ROOM = 'ROOM',
  OTHER = 'OTHER',
}
registerEnumType(ResourceKind, { name: 'ResourceKind', description: '资源类型 (Kind of shared resource)' });
