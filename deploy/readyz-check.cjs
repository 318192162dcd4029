// The image's HEALTHCHECK: healthy when this container's process answers 200 on its /readyz (the
// process endpoint on METRICS_HOST:METRICS_PORT, which every service serves). Plain JavaScript so
// it runs with the image's node alone.
const port = process.env.METRICS_PORT;
if (!port || port === '0') {
  console.log('METRICS_PORT is not set: no /readyz to check');
  process.exit(1);
}
const configured = process.env.METRICS_HOST || '127.0.0.1';
// A wildcard bind is reached on loopback.
const host = configured === '0.0.0.0' ? '127.0.0.1' : configured === '::' ? '::1' : configured;
const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/readyz`;
fetch(url, { signal: AbortSignal.timeout(4000) }).then(
  async (res) => {
    if (!res.ok) console.log(`${url}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    process.exit(res.ok ? 0 : 1);
  },
  (err) => {
    console.log(`${url}: ${err.message}`);
    process.exit(1);
  },
);
