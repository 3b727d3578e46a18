# The Precipice game server image (used by docker-compose.yml).
FROM python:3.12-slim
ENV PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY rules ./rules
COPY agents ./agents
COPY server ./server
COPY web ./web
COPY alembic.ini ./
RUN uv sync --frozen --no-dev
ENV PATH="/opt/venv/bin:$PATH"
EXPOSE 8000
CMD ["precipice", "serve", "--host", "0.0.0.0", "--port", "8000"]
