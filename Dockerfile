# A small image of corral's single executable and an app (docs/deployment.md, "Containers").
# test/e2e/container.test.ts performs this file's runtime steps without a container engine: keep the two in step.

# Build: the single executable (dist/corral, Node 26 embedded) from this repository.
FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# Run: Debian 12 slim (the glibc the executable was built against), plus libatomic, which the executable needs
# and the slim image lacks. No init: corral is a correct PID 1 (it reaps, and SIGTERM is its graceful stop).
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libatomic1 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/dist/corral /usr/local/bin/corral
COPY deploy/corral.yaml /etc/corral/corral.yaml
# Your app: replace example/ with its directory (or mount it at /app).
COPY example/ /app/
ENV NODE_ENV=production
# nobody: the master and the workers run without root.
USER 65534:65534
EXPOSE 8080
STOPSIGNAL SIGTERM
CMD ["/usr/local/bin/corral", "/etc/corral/corral.yaml"]
