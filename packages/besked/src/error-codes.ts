/**
 * Every error code @cprh/besked raises. All are permanent: the same bytes always fail the same
 * way, so a retry never helps (the worker dead-letters them with the code).
 */
export const BESKED_ERROR_CODES = {
  /** The document has a DOCTYPE (and so possibly entity declarations); refused before anything is expanded. */
  BESKED_DTD_FORBIDDEN: 'BESKED_DTD_FORBIDDEN',
  /** Not well-formed XML, not UTF-8, or an unsupported encoding; the message gives line and column. */
  BESKED_XML_MALFORMED: 'BESKED_XML_MALFORMED',
  /** The root element is neither kuvert:Haendelsesbesked nor sts:ModtagBeskedInput. */
  BESKED_ROOT_UNKNOWN: 'BESKED_ROOT_UNKNOWN',
  /** A required element (BeskedId, Beskedkuvert, Filtreringsdata, Beskedtype, ...) is absent; `path` names it. */
  BESKED_FIELD_MISSING: 'BESKED_FIELD_MISSING',
  /** Over the byte limit (checked before parsing), or deeper than 100 / more than 100,000 elements. */
  BESKED_TOO_LARGE: 'BESKED_TOO_LARGE',
  /** An element is present but its value is unusable (bad timestamp, integer, Base64, payload encoding). */
  BESKED_VALUE_INVALID: 'BESKED_VALUE_INVALID',
  /** A user's event catalogue file is not valid catalogue JSON. */
  BESKED_CATALOGUE_INVALID: 'BESKED_CATALOGUE_INVALID',
  /** The bytes are not valid in their encoding (BOM, else XML declaration, else UTF-8), or it is not supported. */
  BESKED_ENCODING_INVALID: 'BESKED_ENCODING_INVALID',
} as const;

export type BeskedErrorCode = keyof typeof BESKED_ERROR_CODES;
