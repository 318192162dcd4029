import { runAsProcess } from '@cprh/pipeline';
import { POLLER_SECTIONS } from './poller-sections';
import { startPoller } from './start-poller';

runAsProcess('poller', POLLER_SECTIONS, startPoller);
