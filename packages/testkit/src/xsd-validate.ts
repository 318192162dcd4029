import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';
import { repoRoot } from './fixtures';

export const WSDL_DIR = join(repoRoot, 'wsdl');
const XSD_DIR = join(WSDL_DIR, 'xsd');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

let schemaFiles: XMLFileInfo[] | undefined;

/** Every XSD under wsdl/xsd, named by its path relative to that folder so imports resolve. */
function schemas(): XMLFileInfo[] {
  schemaFiles ??= listFiles(XSD_DIR)
    .filter((p) => p.endsWith('.xsd'))
    .map((p) => ({ fileName: relative(XSD_DIR, p), contents: readFileSync(p, 'utf8') }));
  return schemaFiles;
}

/**
 * Validates documents against one of the XSDs under wsdl/xsd (libxml2 via xmllint-wasm), e.g.
 * `AnvendersystemOperationer.xsd`; returns libxml2's error texts (empty when all are valid).
 */
export async function validateAgainstXsd(schema: string, docs: readonly string[]): Promise<string[]> {
  const all = schemas();
  const main = all.find((f) => f.fileName === schema);
  if (!main) throw new Error(`no schema ${schema} under wsdl/xsd`);
  const result = await validateXML({
    xml: docs.map((contents, i) => ({ fileName: `doc${i}.xml`, contents })),
    schema: main,
    preload: all.filter((f) => f !== main),
  });
  return result.errors.map((e) => e.rawMessage);
}

/**
 * The SOAP Body's element as a document of its own: the namespace declarations of the envelope
 * it relies on are copied onto it.
 */
export function bodyDocument(envelope: string): string {
  const envAttrs = /<(\w+):Envelope\b([^>]*)>/.exec(envelope)?.[2] ?? '';
  const body = /<\w+:Body[^>]*>([\s\S]*)<\/\w+:Body>/.exec(envelope)?.[1]?.trim() ?? '';
  const open = /^<[^\s>]+([^>]*)>/.exec(body);
  if (!open) throw new Error('no body element');
  const own = new Set([...(open[1] ?? '').matchAll(/(xmlns(?::\w+)?)=/g)].map((m) => m[1]));
  const inherited = [...envAttrs.matchAll(/(xmlns(?::\w+)?)="([^"]*)"/g)]
    .filter((m) => !own.has(m[1]) && m[1] !== 'xmlns')
    .map((m) => ` ${m[1]}="${m[2]}"`)
    .join('');
  return body.replace(/^(<[^\s>/]+)/, `$1${inherited}`);
}
