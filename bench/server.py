"""A local multi-host server for benchmarks: N ports on 127.0.0.1, each one "host".

    python bench/server.py --hosts 20 --latency 0.05 --max-seconds 600

Routes decide the answer, so the corpus generator knows the ground truth:
  /ok/<id> 200 · /gone/<id> 404 · /removed/<id> 410 · /err/<id> 500
  /r/<n>/<id> a chain of n 301s ending at /ok · /rl/<id> 429 (Retry-After: 1) once, then 200
  /nohead/<id> 405 to HEAD, 200 to GET · /s/<port>/<id> a shortlink: 301 to /ok/ on <port>
  /__stats counts per method and path (JSON) · /__reset clears them
  /__timeline each request's arrival and answer on the machine's monotonic clock
  (comparable with time.monotonic() in another process) and its port: where a run's
  wall goes, and how long each request took the server itself
Prints the ports as JSON on stdout when ready; exits after --max-seconds whatever happens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter

from aiohttp import web


def make_app(latency: float, counts: Counter[str], first_seen: set[str]) -> web.Application:
    times: list[tuple[float, float, str]] = []  # arrived, answered, port

    async def handle(request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == "/__stats":
            return web.json_response(dict(counts))
        if path == "/__timeline":
            return web.json_response(times)
        if path == "/__reset":
            counts.clear()
            first_seen.clear()
            times.clear()
            return web.json_response({})
        key = f"{request.host.rpartition(':')[2]}{path}"
        counts[f"{request.method} {key}"] += 1
        arrived = time.monotonic()
        await asyncio.sleep(latency)
        times.append((arrived, time.monotonic(), request.host.rpartition(":")[2]))
        parts = path.strip("/").split("/")
        kind = parts[0]
        if kind == "ok":
            return web.Response(
                text=f"<html><h1 id='top'>{path}</h1></html>", content_type="text/html"
            )
        if kind == "gone":
            return web.Response(status=404, text="not found")
        if kind == "removed":
            return web.Response(status=410, text="gone")
        if kind == "err":
            return web.Response(status=500, text="error")
        if kind == "r" and len(parts) == 3:
            left = int(parts[1])
            target = f"/r/{left - 1}/{parts[2]}" if left > 1 else f"/ok/{parts[2]}"
            raise web.HTTPMovedPermanently(target)
        if kind == "rl":
            if key not in first_seen:
                first_seen.add(key)
                return web.Response(status=429, headers={"Retry-After": "1"}, text="slow down")
            return web.Response(text="ok")
        if kind == "nohead":
            if request.method == "HEAD":
                return web.Response(status=405)
            return web.Response(text="ok")
        if kind == "s" and len(parts) == 3:
            raise web.HTTPMovedPermanently(f"http://127.0.0.1:{parts[1]}/ok/{parts[2]}")
        return web.Response(status=404, text="no such route")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handle)
    return app


async def serve(hosts: int, latency: float, max_seconds: float) -> None:
    counts: Counter[str] = Counter()
    first_seen: set[str] = set()
    runner = web.AppRunner(make_app(latency, counts, first_seen), access_log=None)
    await runner.setup()
    ports = []
    for _ in range(hosts):
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        ports.append(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
    print(json.dumps({"ports": ports}), flush=True)
    try:
        await asyncio.sleep(max_seconds)
    finally:
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser(description="local benchmark server")
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.hosts, args.latency, args.max_seconds))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
