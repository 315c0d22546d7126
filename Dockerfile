# The image deploy/k8s names: ccsim installed from its own npm package, Node 20, the shipped
# scenarios in /work (the Jobs' workingDir; add your own scenarios beside them). Build and push:
#   docker build -t registry.example.com/ccsim:0.1.0 .
#   docker push registry.example.com/ccsim:0.1.0
# (podman build works the same.)

# Stage 1: pack the package from this checkout (prepack builds dist/).
FROM node:20-bookworm-slim AS pack
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm pack --pack-destination /tmp

# Stage 2: install that package globally, as a user would.
FROM node:20-bookworm-slim
COPY --from=pack /tmp/ccsim-*.tgz /tmp/
RUN npm install --global --no-audit --no-fund /tmp/ccsim-*.tgz && rm /tmp/ccsim-*.tgz && npm cache clean --force
WORKDIR /work
COPY scenarios/ ./scenarios/
USER node
CMD ["ccsim", "--help"]
