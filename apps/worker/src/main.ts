import { runAsTenantsProcess } from '@cprh/runtime';
import { WORKER_SECTIONS } from './worker-sections';
import { startWorkerTenants } from './start-worker-tenants';

// Every tenant of TENANTS_FILE, or the one of the environment without it.
runAsTenantsProcess('worker', WORKER_SECTIONS, (tenants, _shared, log) => startWorkerTenants(tenants, log));
