import { runAsProcess } from '@cprh/pipeline';
import { startReceiver } from './start-receiver';

runAsProcess('receiver', startReceiver);
