export { DEMO_COMMUNITIES, type DemoCommunity, type DemoResource } from './communities.js';
export { DEMO_PEOPLE, type DemoPerson } from './people.js';
export { seedDemo, type SeedTarget } from './seed.js';
