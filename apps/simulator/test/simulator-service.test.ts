import { loadWorkbenchConfig } from '../src';
import pino from 'pino';
import { startSimulatorService, SIMULATOR_SECTIONS } from '../src';
import { simTestEnv } from '@cprh/testkit';

describe('startSimulatorService', () => {
  it('does nothing when SIM_ENABLED=false (no servers, no connections)', async () => {
    // Unreachable brokers: starting anything would fail.
    const config = loadWorkbenchConfig(SIMULATOR_SECTIONS, {
      SIM_ENABLED: 'false',
      REDIS_URL: 'redis://127.0.0.1:1',
      AMQP_URL: 'amqp://127.0.0.1:1',
    });
    const service = await startSimulatorService(config, pino({ level: 'silent' }));
    await service.stop();
  });

  it('fails to start with a one-line reason when RabbitMQ is unreachable', async () => {
    const t = simTestEnv({ AMQP_URL: 'amqp://127.0.0.1:1' });
    try {
      const config = loadWorkbenchConfig(SIMULATOR_SECTIONS, t.env);
      await expect(startSimulatorService(config, pino({ level: 'silent' }))).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await t.cleanup();
    }
  });
});
