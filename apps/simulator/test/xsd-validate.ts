import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';

export const WSDL_DIR = join(__dirname, '..', '..', '..', 'wsdl');
const XSD_DIR = join(WSDL_DIR, 'xsd');

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** Every XSD under wsdl/xsd, named by its path relative to that folder so imports resolve. */
const schemaFiles: XMLFileInfo[] = listFiles(XSD_DIR)
  .filter((p) => p.endsWith('.xsd'))
  .map((p) => ({ fileName: relative(XSD_DIR, p), contents: readFileSync(p, 'utf8') }));

/** Validates documents against one of the XSDs (libxml2 via xmllint-wasm); returns error texts. */
export async function validateAgainst(schema: string, docs: readonly string[]): Promise<string[]> {
  const main = schemaFiles.find((f) => f.fileName === schema);
  if (!main) throw new Error(`no schema ${schema}`);
  const result = await validateXML({
    xml: docs.map((contents, i) => ({ fileName: `doc${i}.xml`, contents })),
    schema: main,
    preload: schemaFiles.filter((f) => f !== main),
  });
  return result.errors.map((e) => e.rawMessage);
}
