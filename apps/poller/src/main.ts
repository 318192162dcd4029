import { runAsProcess } from '@cprh/runtime';
import { POLLER_SECTIONS } from './poller-sections';
import { startPoller } from './start-poller';

runAsProcess('poller', POLLER_SECTIONS, startPoller);
