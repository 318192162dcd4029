import { SimError } from '../sim-error';

const UUID = /[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;

/**
 * Returns the message with the UUID text of its BeskedId replaced by `uuid` (any namespace
 * prefix), so one sample file can be published as many distinct messages. Only the BeskedId
 * element is touched; throws when it holds no UUID.
 */
export function rewriteBeskedId(xml: string, uuid: string): string {
  const open = /<(?:[A-Za-z_][\w.-]*:)?BeskedId[\s>]/.exec(xml);
  const close = open ? /<\/(?:[A-Za-z_][\w.-]*:)?BeskedId\s*>/.exec(xml.slice(open.index)) : null;
  if (!open || !close) {
    throw new SimError('SIM_BESKED_ID_NOT_FOUND', 'no BeskedId element found');
  }
  const start = open.index;
  const end = start + close.index;
  const inner = xml.slice(start, end);
  if (!UUID.test(inner)) {
    throw new SimError('SIM_BESKED_ID_NOT_FOUND', 'the BeskedId holds no UUID to rewrite');
  }
  return xml.slice(0, start) + inner.replace(UUID, uuid) + xml.slice(end);
}
