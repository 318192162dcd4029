import { runAsProcess } from '@cprh/runtime';
import { BOARD_SECTIONS } from './board-sections';
import { startBoardService } from './board-service';

// Entry of the ops process: `node --require tsx/cjs apps/board/src/main.ts`. Like the poller and
// the worker: one-line error and exit 1 on a bad setting or a refused start, exit 0 after SIGTERM.
runAsProcess('board', BOARD_SECTIONS, startBoardService);
