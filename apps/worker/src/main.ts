import { runAsProcess } from '@cprh/pipeline';
import { startWorker } from './start-worker';

runAsProcess('worker', startWorker);
