import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/** Every error code `cprh` itself raises: code -> one-line meaning. */
export const CLI_ERROR_CODES = defineErrorCodes({
  CLI_USAGE: 'Wrong command line (unknown option, missing argument); the usage is printed, exit 2',
  CLI_FILE_UNREADABLE: 'A file named on the command line or in a setting cannot be read',
  CLI_TENANT_REQUIRED:
    "TENANTS_FILE is set and the command reads or changes one municipality's data: name it with `--tenant ID`",
  CLI_TENANT_UNKNOWN: '`--tenant ID` names no municipality of TENANTS_FILE (or there is no TENANTS_FILE)',
  CLI_TENANT_STILL_CONFIGURED:
    '`cprh tenants purge ID`: the municipality is still in TENANTS_FILE; take it out and restart the processes first',
  CLI_NOT_FOUND:
    'No stored message with that id, or it keeps metadata only (`cprh inspect --dead` or `--job`)',
});

export type CliErrorCode = CodeOf<typeof CLI_ERROR_CODES>;
