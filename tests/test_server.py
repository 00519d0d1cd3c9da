"""The real thing: uvicorn serving the app over loopback."""

import json

import httpx


def test_uvicorn_serves_conv_pool_and_streams_frames(live_server):
    with httpx.Client(base_url=live_server.url, timeout=10) as http:
        assert http.get("/healthz").json() == {"status": "ok"}
        body = {"input": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "kernel": [[1, 0], [0, -1]]}
        conv = http.post("/api/v1/conv2d", json=body).json()
        assert conv["output"] == [[[-4, -4], [-4, -4]]]
        pool = http.post("/api/v1/pool2d", json={"input": body["input"], "kernel_size": 2, "stride": 1}).json()
        assert pool["output"] == [[[5, 6], [8, 9]]]
        with http.stream("POST", "/api/v1/conv2d/frames", json=body) as response:
            lines = [json.loads(line) for line in response.iter_lines() if line]
        assert [line["value"] for line in lines] == [-4, -4, -4, -4]
        refused = http.post("/api/v1/conv2d", content=b"x" * 3_000_000, headers={"content-type": "application/json"})
        assert refused.status_code == 413
