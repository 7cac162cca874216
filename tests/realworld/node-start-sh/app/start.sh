#!/bin/sh
# Prepare the environment, then hand the process over to node.
set -e
export APP_STAGE="${APP_STAGE:-production}"
echo "starting in $APP_STAGE"
exec node server.js
