// What the workbench's demo launcher (apps/demo, `cprh-demo`) reuses of the operator's CLI: the
// command runner, and the commands it runs against the simulator with the demo's wiring.
export { type Command, UsageError } from './command';
export { runCommands, type CommandTable } from './run-commands';
export { runKombitCheck } from './commands/kombit';
export { KOMBIT_CHECK_SECTIONS, type KombitCheckConfig } from './kombit-check/check-steps';
export { runVaerdiliste } from './commands/vaerdiliste';
