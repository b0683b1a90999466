// Container healthcheck: GET the URL given as the first argument (default: the API's /health on
// PORT) and report healthy on a 2xx within three seconds. Uses the image's node: no curl needed.
const url = process.argv[2] ?? `http://127.0.0.1:${process.env.PORT ?? 8000}/health`;

try {
  const response = await fetch(url, { signal: AbortSignal.timeout(3000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
