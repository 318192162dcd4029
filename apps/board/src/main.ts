import pino from 'pino';
import { loadConfig, ConfigError, type Config } from '@cprh/config';
import { BoardError } from './board-error';
import { startBoard } from './start-board';

// Entry of the ops process: `node --require tsx/cjs apps/board/src/main.ts`.
async function main(): Promise<number> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  const log = pino({ level: config.log.level, base: { service: 'board' } });
  let board;
  try {
    board = await startBoard(config, { logger: log });
  } catch (err) {
    if (err instanceof BoardError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
  log.info(
    { url: board.url, readOnly: !config.board.readWrite, auth: Boolean(config.board.credentials) },
    `board at ${board.url} (metrics ${board.url}metrics)`,
  );

  const running = board;
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      log.info({ signal }, 'board stopping');
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await running.close();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`board failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
