#!/bin/sh
set -e
export APP_STAGE="${APP_STAGE:-production}"
exec node server.js
