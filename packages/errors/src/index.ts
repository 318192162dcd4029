export { CodedError, isCodedError } from './coded-error';
export { defineErrorCodes, type CodeOf, type ErrorCodesTable } from './error-codes-table';
export { oneLine } from './one-line';
