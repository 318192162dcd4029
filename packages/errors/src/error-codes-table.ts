/**
 * A package's error codes in one table: `CODE: 'one-line meaning'`, the meaning written for the
 * operator who sees the code (the README's "Error codes" section lists the same lines).
 * Codes are upper snake case and start with the package's prefix (`KOMBIT_`, `PIPELINE_`, ...).
 */
export type ErrorCodesTable = Readonly<Record<Uppercase<string>, string>>;

/** Declares a package's table; keeps the literal keys so `CodeOf<typeof TABLE>` is a union. */
export function defineErrorCodes<const T extends ErrorCodesTable>(table: T): T {
  return Object.freeze(table);
}

/** The code union of a table: `type KombitErrorCode = CodeOf<typeof KOMBIT_ERROR_CODES>`. */
export type CodeOf<T extends ErrorCodesTable> = keyof T & string;
