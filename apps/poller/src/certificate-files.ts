import { statSync } from 'node:fs';
import type { PollerConfig } from './poller-sections';

/** The files a tenant's function certificate is read from (p12, or PEM certificate and key). */
export function certificateFiles(clientCert: PollerConfig['clientCert']): string[] {
  const s = clientCert.source;
  if (s === undefined) return [];
  return s.kind === 'p12' ? [s.p12File] : [s.certFile, s.keyFile];
}

/**
 * The files as they are now (size and modification time), to notice a replaced certificate;
 * undefined while one is missing (a replacement half done is not a replacement yet).
 */
export function filesStamp(files: readonly string[]): string | undefined {
  try {
    return files
      .map((f) => {
        const st = statSync(f);
        return `${st.size}:${st.mtimeMs}`;
      })
      .join('|');
  } catch {
    return undefined;
  }
}
