import { DEMO_GRID_WORKERS } from './grids.js';
import { DEMO_PEOPLE as PEOPLE, type DemoPerson } from './people.js';

export { DEMO_COMMUNITIES, type DemoCommunity, type DemoResource } from './communities.js';
export { seedDemo, type SeedTarget } from './seed.js';
export type { DemoPerson };

/** Everyone `npm start` prints a token for: residents, staff, admins, security, grid leaders. */
export const DEMO_PEOPLE: DemoPerson[] = [...PEOPLE, ...DEMO_GRID_WORKERS.filter((p) => p.labelEn === 'Grid leader')];
