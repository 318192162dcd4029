import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { xmlEscape } from '../xml-escape';

/** The SOAPAction values a WSDL's binding declares. */
export function soapActionsOf(wsdlXml: string): ReadonlySet<string> {
  return new Set([...wsdlXml.matchAll(/soapAction="([^"]+)"/g)].map((m) => m[1] ?? ''));
}

/** A SOAP 1.1 fault envelope (faultcode in the envelope's namespace, as SOAP 1.1 §4.4 has it). */
export function soap11Fault(faultcode: 'Client' | 'Server', faultstring: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault>' +
    `<faultcode>soap:${faultcode}</faultcode><faultstring>${xmlEscape(faultstring)}</faultstring>` +
    '</soap:Fault></soap:Body></soap:Envelope>'
  );
}

/**
 * Puts itself in front of the server's request listeners (node-soap's): a POST to `path` whose
 * SOAPAction the WSDL does not declare is answered as a SOAP 1.1 service answers it, HTTP 500 with
 * a fault `soap:Client`, instead of node-soap's internal error text. Everything else passes on.
 */
export function guardSoapActions(server: Server, path: string, actions: ReadonlySet<string>): void {
  const listeners = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers.soapaction;
    const action = (Array.isArray(header) ? header[0] : header)?.trim().replace(/^"(.*)"$/, '$1');
    const onPath = (req.url ?? '').split('?')[0]?.replace(/\/$/, '') === path;
    // No SOAPAction (or ""): node-soap picks the operation by the body's element.
    if (req.method === 'POST' && onPath && action !== undefined && action !== '' && !actions.has(action)) {
      req.resume();
      res.writeHead(500, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(soap11Fault('Client', `unknown SOAPAction "${action.slice(0, 200)}"`));
      return;
    }
    if (req.method === 'POST' && onPath) faultInsteadOfErrorText(res);
    for (const listener of listeners) listener.call(server, req, res);
  });
}

/**
 * node-soap answers a request it cannot map to an operation (an unknown body element, no body)
 * with HTTP 500 and the bare text of an internal error (`Cannot read properties of undefined …`).
 * Such an answer becomes a SOAP 1.1 fault `soap:Client` without that text.
 */
function faultInsteadOfErrorText(res: ServerResponse): void {
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (res.statusCode === 500 && typeof chunk === 'string' && !chunk.trimStart().startsWith('<')) {
      chunk = soap11Fault('Client', 'the request is not an operation of BeskedfordelerService');
    }
    return write(chunk, ...rest);
  }) as ServerResponse['write'];
}
