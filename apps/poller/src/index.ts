export { startPoller } from './start-poller';
export { startTenantsPoller } from './start-tenants-poller';
export { TenantPoller, type TenantState } from './tenant-poller';
export { POLLER_SECTIONS, type PollerConfig, type PollerSection } from './poller-sections';
export { DrainLock, drainLockKey, DRAIN_LOCK_RENEW_LUA, DRAIN_LOCK_RELEASE_LUA } from './drain-lock';
