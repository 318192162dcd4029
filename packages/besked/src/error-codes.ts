import { defineErrorCodes, type CodeOf } from '@cprh/errors';

/**
 * Every error code @cprh/besked raises. All are permanent: the same bytes always fail the same
 * way, so a retry never helps (the worker dead-letters them with the code).
 */
export const BESKED_ERROR_CODES = defineErrorCodes({
  BESKED_DTD_FORBIDDEN:
    'The document has a DOCTYPE (and so possibly entity declarations); refused before anything is expanded',
  BESKED_XML_MALFORMED: 'Not well-formed XML; the message gives line and column',
  BESKED_ROOT_UNKNOWN: 'The root element is neither kuvert:Haendelsesbesked nor sts:ModtagBeskedInput',
  BESKED_FIELD_MISSING:
    'A required element (BeskedId, Beskedkuvert, Filtreringsdata, Beskedtype, ...) is absent; `path` names it',
  BESKED_TOO_LARGE:
    'Over the byte limit, deeper than 100 / over 100,000 elements, or an element with over 256 attributes or 64 xmlns',
  BESKED_ELEMENT_UNEXPECTED:
    'An element or text the schema does not allow there (a second Haendelsesbesked in ModtagBeskedInput); `path` names it',
  BESKED_VALUE_INVALID:
    'An element is present but its value is unusable (bad timestamp, integer, Base64, payload encoding)',
  BESKED_CATALOGUE_INVALID: "A user's event catalogue file is not valid catalogue JSON",
  BESKED_ENCODING_INVALID:
    'The bytes are not valid in their encoding (BOM, else XML declaration, else UTF-8), or it is not supported',
});

export type BeskedErrorCode = CodeOf<typeof BESKED_ERROR_CODES>;
