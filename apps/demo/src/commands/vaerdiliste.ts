import { loadWorkbenchConfig } from '@cprh/simulator';
import { runVaerdiliste, type Command } from '@cprh/cli';
import {
  BESKEDFORDELER_SERVICE_SECTIONS,
  FunctionCertificate,
  vaerdilisteClientFromConfig,
} from '@cprh/kombit';
import { devPkiFiles } from '@cprh/simulator';

/**
 * `cprh-demo vaerdiliste`: the operator's `cprh vaerdiliste` against the local simulator. With
 * KOMBIT_ENV=local and no CLIENT_CERT_* set, the simulator's dev client certificate (SIM_CERTS_DIR)
 * is the function certificate, its CA trusted.
 */
export const vaerdiliste: Command = (argv) =>
  runVaerdiliste(argv, async () => {
    const cfg = loadWorkbenchConfig(BESKEDFORDELER_SERVICE_SECTIONS);
    if (cfg.amqp.kombitEnv !== 'local' || cfg.clientCert.source !== undefined) {
      return vaerdilisteClientFromConfig(cfg);
    }
    const pki = devPkiFiles(loadWorkbenchConfig(['simulator']).simulator.certsDir);
    const certificate = FunctionCertificate.load({
      kind: 'pem',
      certFile: pki.clientCert,
      keyFile: pki.clientKey,
      caFile: cfg.clientCert.caFile ?? pki.ca,
    });
    return vaerdilisteClientFromConfig(cfg, { certificate });
  });
