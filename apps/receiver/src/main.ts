import { runAsTenantsProcess } from '@cprh/runtime';
import { RECEIVER_SECTIONS } from './receiver-sections';
import { startTenantsReceiver } from './start-receiver';

// Every tenant of TENANTS_FILE on one port (without it, the one tenant of the environment).
runAsTenantsProcess('receiver', RECEIVER_SECTIONS, startTenantsReceiver);
