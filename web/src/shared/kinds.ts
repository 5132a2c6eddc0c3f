import type { ResourceKind } from '../gql/graphql';

/** Every kind of resource, in the order filters list them (checked against the schema's enum). */
export const RESOURCE_KINDS = Object.keys({
  VENUE: true,
  ROOM: true,
  EDUCATION_SEATS: true,
  MEDICAL_SERVICE: true,
  EQUIPMENT: true,
  OTHER: true,
} satisfies Record<ResourceKind, true>) as ResourceKind[];
