import { runAsProcess } from '@cprh/runtime';
import { RECEIVER_SECTIONS } from './receiver-sections';
import { startReceiver } from './start-receiver';

runAsProcess('receiver', RECEIVER_SECTIONS, startReceiver);
