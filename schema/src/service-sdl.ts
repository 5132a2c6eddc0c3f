/** What a subgraph answered to `{ _service { sdl } }`, or why there is nothing to check. */
export type ServiceSdl = { ok: true; sdl: string } | { ok: false; reason: string };

/**
 * Asks a subgraph for its SDL (federation's `_service { sdl }`), which is also its health
 * check: a subgraph that cannot answer this cannot be planned against. `headers` carry the
 * gateway's signature; the subgraph's answer is never trusted beyond being a string.
 * `signal` ends the wait early (a gateway shutting down).
 */
export async function fetchServiceSdl(url: string, headers: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<ServiceSdl> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query: '{ _service { sdl } }' }),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : error.message) : String(error);
    return { ok: false, reason: `健康检查失败：无法连接 (health check failed: ${cause})` };
  }
  if (!res.ok) return { ok: false, reason: `健康检查失败：HTTP ${res.status} (health check failed: HTTP ${res.status})` };
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    return { ok: false, reason: '健康检查失败：应答不是 JSON (health check failed: the answer is not JSON)' };
  }
  const sdl = (body as { data?: { _service?: { sdl?: unknown } } } | null)?.data?._service?.sdl;
  if (typeof sdl !== 'string' || !sdl.trim()) {
    return { ok: false, reason: '不是联邦子图：_service { sdl } 无应答 (not a federation subgraph: no _service { sdl })' };
  }
  return { ok: true, sdl };
}
