FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY domain domain
COPY services services
COPY projections projections
COPY infra infra
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["barometre", "web"]
