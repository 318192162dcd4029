import { runAsTenantsProcess } from '@cprh/runtime';
import { BOARD_SECTIONS } from './board-sections';
import { startBoardService } from './board-service';
import { boardTenants } from './board-tenant';

// Entry of the ops process: `node --require tsx/cjs apps/board/src/main.ts`. Like the poller and
// the worker: one-line error and exit 1 on a bad setting or a refused start, exit 0 after SIGTERM.
// With TENANTS_FILE one board shows every municipality, each as a group of its own.
runAsTenantsProcess('board', BOARD_SECTIONS, (tenants, shared, log) =>
  startBoardService(shared, log, boardTenants(tenants)),
);
