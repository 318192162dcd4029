import { runAsProcess } from '@cprh/runtime';
import { loadWorkbenchConfig } from './workbench-config';
import { SIMULATOR_SECTIONS } from './simulator-sections';
import { startSimulatorService } from './simulator-service';

// The simulator as its own process (docker-compose's `simulator` service): logs "simulator ready",
// feeds the demo dueslag, stops cleanly on SIGTERM/SIGINT.
runAsProcess('simulator', SIMULATOR_SECTIONS, startSimulatorService, loadWorkbenchConfig);
