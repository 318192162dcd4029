import { z } from 'zod';
import { defineSection } from './define-section';

export const logSettings = defineSection({
  env: {
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Where the audit log of unmasked views (CPR numbers shown) and erasures goes: a file, appended
     * to; unset = stderr. Its own destination, never mixed into the process log.
     */
    AUDIT_LOG_FILE: z.string().min(1).optional(),
    /** Set by sudo: the audit log names the person behind a `sudo cprh ...`. */
    SUDO_USER: z.string().min(1).optional(),
  },
  build: (e) => ({ level: e.LOG_LEVEL, auditFile: e.AUDIT_LOG_FILE, sudoUser: e.SUDO_USER }),
});
