#!/bin/sh
# One image for every Linli service; the first argument picks which one runs. The node flags
# are the launcher's (infra/src/services.ts SOURCE_FLAGS): SWC compiles the TypeScript source with
# the decorator metadata type-graphql and MikroORM need, and the @linli/source condition
# resolves workspace packages to their sources, so the image runs exactly what the tests ran.
set -eu
case "${1:-}" in
  gateway) entry=gateway/src/main.ts ;;
  exchange) entry=subgraphs/exchange/src/main.ts ;;
  community) entry=subgraphs/community/src/main.ts ;;
  *)
    echo "usage: gateway | exchange | community (configuration comes from the environment)" >&2
    exit 64
    ;;
esac
shift
exec node --conditions=@linli/source --import @swc-node/register/esm-register --enable-source-maps "$entry" "$@"
