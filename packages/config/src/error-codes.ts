import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Every error code @cprh/config raises: code -> one-line meaning. */
export const CONFIG_ERROR_CODES = defineErrorCodes({
  CONFIG_INVALID: 'A setting is missing or wrong; the message names the setting and the problem',
});

export type ConfigErrorCode = CodeOf<typeof CONFIG_ERROR_CODES>;
