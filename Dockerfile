# The web API of this project with its trained models (docs/deployment.md#container).
# Train first (`kedro run`): the image copies conf/base and data/06_models.
#   docker build -t ml-workflow-api .
#   docker run --rm -p 8000:8000 ml-workflow-api
# tests/serving/test_container.py runs this file's CMD and HEALTHCHECK from a
# wheel in a clean virtual environment (no Docker daemon needed).

FROM python:3.11-slim AS build
WORKDIR /build
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    KEDRO_DISABLE_TELEMETRY=1 \
    ML_WORKFLOW_PROJECT=/app \
    PATH=/opt/venv/bin:$PATH
RUN useradd --create-home --uid 10001 app
COPY --from=build /wheels /wheels
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir /wheels/*.whl \
    && rm -rf /wheels
WORKDIR /app
# The project's configuration and models; the code is the installed wheel.
COPY pyproject.toml ./
COPY conf/base ./conf/base
COPY data/06_models ./data/06_models
COPY data/08_reporting ./data/08_reporting
RUN mkdir -p src conf/local && chown -R app:app /app
USER app
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/v2/health/ready', timeout=2).status != 200)"]
CMD ["kedro", "serve", "--host", "0.0.0.0", "--port", "8000"]
