# cxcost: the Streamlit app, with Debian's Chromium for chart images and the PDF summary.
#
#   docker build -t cxcost .
#   docker run --rm -p 8501:8501 cxcost
#
# Listens on all interfaces (--server.address 0.0.0.0 below; .streamlit/config.toml binds
# 127.0.0.1 for anyone running the app outside a container). Runs as an unprivileged user; the app files belong to root and are read-only to it.
# Sizing and running several replicas behind a reverse proxy: docs/deployment.md.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    BROWSER_PATH=/usr/bin/chromium

# chromium: kaleido renders chart images (PNG/SVG/PDF) with it; nothing is downloaded at
# run time. fonts-dejavu-core: the PDF summary's font.
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin cxcost

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY . ./

USER cxcost
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() != b'ok')"]
CMD ["streamlit", "run", "app.py", "--server.address", "0.0.0.0", "--server.port", "8501", "--server.headless", "true"]
