# Touming's image: the web application built with Node, the `touming` binary with Rust,
# both copied into a slim Debian runtime that runs as an unprivileged user.
#   docker build -t touming:dev .
# The same image runs `serve`, `work` and `migrate` (see helm/touming).

FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY api/schema.graphql api/schema.graphql
COPY web/package.json web/package-lock.json web/
RUN cd web && npm ci --no-audit --no-fund
COPY web web
RUN cd web && npm run build

FROM rust:1.95-bookworm AS server
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY domain domain
COPY migrations migrations
COPY store store
COPY worker worker
COPY api api
COPY cli cli
COPY tests tests
COPY config config
RUN cargo build --release --locked -p touming --bin touming

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin touming
COPY --from=server /src/target/release/touming /usr/local/bin/touming
COPY --from=web /src/web/dist /app/web
WORKDIR /app
ENV TOUMING_LISTEN=0.0.0.0:8080 \
    TOUMING_WEB_DIR=/app/web \
    TOUMING_LOG_FORMAT=json \
    TOUMING_EVIDENCE__STORE=/data/evidence \
    TZ=Asia/Shanghai
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["touming"]
CMD ["serve"]
