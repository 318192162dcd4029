export { startPoller } from './start-poller';
