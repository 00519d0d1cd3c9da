# ConvScope for a classroom: `docker compose up`, then open http://<this machine>:8000.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /srv/convscope
SHELL ["/bin/bash", "-o", "pipefail", "-c"]

# Dependencies only, pinned by constraints.txt: this layer is rebuilt only when these two files change.
# Few layers on purpose: each one is a full copy of the file system on storage drivers without overlays (vfs).
COPY pyproject.toml constraints.txt ./
RUN useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin convscope \
    && python -c "import tomllib; print(*tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies'], sep='\n')" \
    | pip install --no-cache-dir -c constraints.txt -r /dev/stdin

# The code (.dockerignore lets in only README.md, app/, templates/ and static/ besides the two files above), owned
# by root and read-only to the server's user. Templates and static files are found next to app/.
COPY . .
RUN pip install --no-cache-dir --no-deps -c constraints.txt -e .

USER 10001:10001
ENV CONVSCOPE_HOST=0.0.0.0 \
    CONVSCOPE_PORT=8000 \
    CONVSCOPE_WORKERS=4
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f\"http://127.0.0.1:{os.environ['CONVSCOPE_PORT']}/healthz\", timeout=4)"]
CMD ["convscope", "serve"]
