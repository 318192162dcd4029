// For the end-to-end suites (e2e/): the demo's services in one process, as `cprh-demo start` runs them.
export { startServices, START_SECTIONS, type StartConfig } from './start-services';
export { startTenantServices, TENANT_SECTIONS, type DemoTenantConfig } from './start-tenant-services';
export {
  cvrValid,
  demoDueslag,
  demoTenants,
  demoTenantsJson,
  writeDemoTenantsFile,
  DEMO_TENANTS_FILE,
  MAX_DEMO_TENANTS,
  type DemoTenant,
} from './demo-tenants';
