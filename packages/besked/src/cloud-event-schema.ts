import schema from './cloud-event.schema.json';

/** The CloudEvent contract as JSON Schema (draft 2020-12): src/cloud-event.schema.json. */
export const cloudEventJsonSchema: object = schema;
