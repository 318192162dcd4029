// For the end-to-end suites (e2e/): the demo's services in one process, as `cprh-demo start` runs them.
export { startServices, START_SECTIONS, type StartConfig } from './start-services';
