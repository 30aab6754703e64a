# One image for the API and the workers; the command picks the role.
FROM node:20-bookworm-slim
# ansible (with its collections) runs the operations our runner cannot, confined by bubblewrap;
# ansible-galaxy installs roles no role folder holds.
RUN apt-get update && apt-get install -y --no-install-recommends ansible bubblewrap openssh-client git \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY bin ./bin
COPY apps ./apps
COPY libs ./libs
COPY tosca-types ./tosca-types
COPY templates ./templates
COPY tsconfig.json tsconfig.build.json ./
RUN npm ci --no-audit --no-fund && npm prune --omit=dev \
  && mkdir -p /var/lib/baton && chown 1000:1000 /var/lib/baton
ENV NODE_ENV=production
# The embedded store and its generated secret key, the one place the service writes.
ENV BATON_DATA_DIR=/var/lib/baton
# Unprivileged (the image's `node` user, numeric so runAsNonRoot can verify it): the code stays
# root's and read-only to the service, which can write only its data folder.
USER 1000:1000
# 8080: the API; 8081: the dashboard; 9464: a worker's /metrics (BATON_METRICS_LISTEN).
EXPOSE 8080 8081 9464
CMD ["node", "bin/baton.js", "serve"]
