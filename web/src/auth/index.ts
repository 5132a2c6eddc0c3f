export { AuthProvider, useAuth, type Auth } from './AuthProvider';
export { isResident, isStaff, type Viewer } from './claims';
export type { Session } from './session';
