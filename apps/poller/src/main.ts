import { runAsProcess } from '@cprh/pipeline';
import { startPoller } from './start-poller';

runAsProcess('poller', startPoller);
