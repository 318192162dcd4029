import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@cprh/config';
import { metricsRegistry } from '@cprh/runtime';
import { createQueueMetrics } from '@cprh/board';
// Registers the webhook delivery metrics in the process registry (the delivery process exports them).
import '@cprh/webhooks';
import { ROOT, envOf, resolve, service } from './compose-file';

interface ScrapeConfig {
  job_name: string;
  basic_auth?: { username?: string; password_file?: string };
  static_configs?: { targets: string[] }[];
  dns_sd_configs?: { names: string[]; type: string; port: number }[];
}
const read = (...p: string[]): string => readFileSync(join(ROOT, ...p), 'utf8');
const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: ScrapeConfig[] };
const alerts = parse(read('deploy/prometheus/alerts.yml')) as {
  groups: { rules: { alert: string; expr: string }[] }[];
};
const dashboard = JSON.parse(read('deploy/grafana/dashboards/cprh.json')) as {
  panels: { title: string; targets: { expr: string }[] }[];
};

/** Every metric name the product exports: each process's registry and the board's queue view. */
function exportedNames(): Set<string> {
  const board = createQueueMetrics({} as never).registry;
  const names = [...metricsRegistry.getMetricsAsArray(), ...board.getMetricsAsArray()].map((m) => m.name);
  return new Set(names);
}
const usedNames = (expr: string): string[] =>
  [...expr.matchAll(/\b(cprh_[a-z0-9_]+)/g)].map((m) => (m[1] ?? '').replace(/_(bucket|count|sum)$/, ''));

describe('the monitoring compose profile', () => {
  const appEnv = (name: string) =>
    loadConfig(
      ['metrics', 'board'],
      Object.fromEntries(
        // The board password comes from a Docker secret file inside the container: a value here.
        Object.entries(envOf(service(name))).map(([k, v]) =>
          k === 'BOARD_PASSWORD_FILE' ? ['BOARD_PASSWORD', 'x'] : [k, resolve(v, { BOARD_PASSWORD: 'x' })],
        ),
      ),
    );

  it('mounts config files that exist', () => {
    for (const name of ['prometheus', 'grafana']) {
      for (const v of (service(name).volumes ?? []).map(String)) {
        if (!v.startsWith('./')) continue;
        expect([name, v, existsSync(join(ROOT, v.split(':')[0] ?? ''))]).toEqual([name, v, true]);
      }
    }
  });

  it('scrapes the board with its credentials, and every poller and worker on their METRICS_PORT', () => {
    const board = prometheus.scrape_configs.find((c) => c.job_name === 'cprh-board');
    const boardCfg = appEnv('board').board;
    expect(board?.static_configs?.[0]?.targets).toEqual([`board:${boardCfg.port}`]);
    expect(board?.basic_auth).toEqual({
      username: boardCfg.credentials?.user,
      password_file: '/run/secrets/board_password',
    });
    expect(service('prometheus').secrets).toContain('board_password');

    const procs = prometheus.scrape_configs.find((c) => c.job_name === 'cprh-processes');
    expect(procs?.dns_sd_configs?.[0]?.names).toEqual(['poller', 'worker']);
    for (const name of ['poller', 'worker']) {
      const m = appEnv(name).metrics;
      expect([name, m.port, m.host]).toEqual([name, procs?.dns_sd_configs?.[0]?.port, '0.0.0.0']);
    }
  });

  it('alerts and the dashboard use only metrics the product exports', () => {
    const known = exportedNames();
    const exprs = [
      ...alerts.groups.flatMap((g) => g.rules.map((r) => [r.alert, r.expr] as const)),
      ...dashboard.panels.flatMap((p) => p.targets.map((t) => [p.title, t.expr] as const)),
    ];
    expect(exprs.length).toBeGreaterThan(20);
    for (const [where, expr] of exprs) {
      for (const name of usedNames(expr)) expect([where, name, known.has(name)]).toEqual([where, name, true]);
    }
    // Each cprh_ metric of the processes is on the dashboard.
    const onDashboard = new Set(dashboard.panels.flatMap((p) => p.targets.flatMap((t) => usedNames(t.expr))));
    for (const name of known)
      if (name.startsWith('cprh_')) expect([name, onDashboard.has(name)]).toEqual([name, true]);
  });
});
