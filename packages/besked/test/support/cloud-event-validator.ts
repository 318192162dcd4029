import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { cloudEventJsonSchema } from '../../src';

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
const validate = ajv.compile(cloudEventJsonSchema);

/** Fails the test unless `event` satisfies src/cloud-event.schema.json. */
export function expectSchemaValid(event: unknown): void {
  const ok = validate(event);
  if (!ok) throw new Error(`CloudEvent violates the schema: ${ajv.errorsText(validate.errors)}`);
}
