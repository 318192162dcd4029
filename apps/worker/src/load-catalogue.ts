import { readFileSync } from 'node:fs';
import { createCatalogue, parseCatalogueJson, type EventCatalogue } from '@cprh/besked';
import { WorkerError } from './worker-error';

/** The built-in event catalogue, extended by EVENT_CATALOGUE_FILE when set. */
export function loadCatalogue(file: string | null): EventCatalogue {
  if (file === null) return createCatalogue();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new WorkerError('WORKER_CATALOGUE_UNREADABLE', `cannot read EVENT_CATALOGUE_FILE ${file}`, {
      cause: err,
    });
  }
  return createCatalogue(parseCatalogueJson(text));
}
