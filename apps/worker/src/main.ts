import { runAsProcess } from '@cprh/runtime';
import { WORKER_SECTIONS } from './worker-sections';
import { startWorker } from './start-worker';

runAsProcess('worker', WORKER_SECTIONS, startWorker);
