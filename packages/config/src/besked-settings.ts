import { z } from 'zod';
import { defineSection } from './define-section';
import { positiveInt } from './common-types';

// Settings of the message parser (@cprh/besked) shared by the worker and `cprh inspect`.
export const beskedSettings = defineSection({
  env: {
    /** Largest message accepted, in bytes; larger ones fail with BESKED_TOO_LARGE before parsing. */
    BESKED_MAX_BYTES: positiveInt.default(10 * 1024 * 1024),
    /** Optional path to a JSON file of extra event-catalogue entries (ObjektHandling id -> name). */
    EVENT_CATALOGUE_FILE: z.string().min(1).optional(),
  },
  build: (e) => ({ maxBytes: e.BESKED_MAX_BYTES, catalogueFile: e.EVENT_CATALOGUE_FILE ?? null }),
});
