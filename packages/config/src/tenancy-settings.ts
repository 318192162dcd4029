import { z } from 'zod';
import { defineSection } from './define-section';

/**
 * TENANTS_FILE: the municipalities one deployment serves (tenants-file.ts). Read by loadTenants,
 * which every multi-tenant process uses; listed as a section so it is named, checked and documented
 * like every other setting.
 */
export const tenancySettings = defineSection({
  env: {
    TENANTS_FILE: z.string().min(1).optional(),
  },
  build: (e) => ({ file: e.TENANTS_FILE }),
});
