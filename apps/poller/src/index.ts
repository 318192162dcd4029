export { startPoller } from './start-poller';
export { POLLER_SECTIONS, type PollerConfig } from './poller-sections';
