export { startPoller } from './start-poller';
export { POLLER_SECTIONS, type PollerConfig } from './poller-sections';
export { DrainLock, drainLockKey, DRAIN_LOCK_RENEW_LUA, DRAIN_LOCK_RELEASE_LUA } from './drain-lock';
