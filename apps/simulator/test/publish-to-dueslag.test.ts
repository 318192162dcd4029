import { deleteAmqpQueue, readFixture, uniqueName, withAmqpChannel } from '@cprh/testkit';
import { publishToDueslag, rewriteBeskedId, SimError } from '../src';

describe('rewriteBeskedId', () => {
  it('replaces only the BeskedId UUID, whatever the prefix', () => {
    const xml = readFixture('beskeder/testbesked01.xml');
    const out = rewriteBeskedId(xml, 'dddddddd-0000-4000-8000-000000000001');
    expect(/BeskedId>\s*<!--[^>]*-->\s*<UUIDIdentifikator>([^<]+)</.exec(out)?.[1]).toBe(
      'dddddddd-0000-4000-8000-000000000001',
    );
    expect(out.replace('dddddddd-0000-4000-8000-000000000001', '01157488-c45c-4fd2-b076-1de12effbf66')).toBe(
      xml,
    );
    const unprefixed = xml.replace(/ns2:BeskedId/g, 'BeskedId');
    expect(rewriteBeskedId(unprefixed, 'dddddddd-0000-4000-8000-000000000002')).toContain(
      '<BeskedId>\n\t\t<!-- Afsenders identifikation af denne besked -->\n\t\t<UUIDIdentifikator>dddddddd-0000-4000-8000-000000000002',
    );
  });

  it('refuses a message without a UUID BeskedId', () => {
    expect(() => rewriteBeskedId('<a/>', 'x')).toThrow(SimError);
  });
});

describe('publishToDueslag (real RabbitMQ)', () => {
  it('publishes persistent messages with a messageId each', async () => {
    const queue = uniqueName('pub');
    try {
      const n = await publishToDueslag([Buffer.from('<a/>'), Buffer.from('<b/>')], {
        url: 'amqp://guest:guest@127.0.0.1:5672',
        queue,
      });
      expect(n).toBe(2);
      await withAmqpChannel(async (ch) => {
        const m1 = await ch.get(queue, { noAck: true });
        const m2 = await ch.get(queue, { noAck: true });
        expect(m1 && m1.content.toString()).toBe('<a/>');
        expect(m1 && m1.properties.deliveryMode).toBe(2);
        expect(m1 && m2 && m1.properties.messageId !== m2.properties.messageId).toBe(true);
      });
    } finally {
      await deleteAmqpQueue(queue);
    }
  });
});
