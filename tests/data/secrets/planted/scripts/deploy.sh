#!/bin/sh
set -eu
export GITLAB_TOKEN="glpat-FAKE8hQ2xN9vL4mR8tKw"
if [ -z "$SECRET_TOKEN" ]; then
  echo "SECRET_TOKEN is not set" >&2
fi
PASSWORD="$1"
curl -fsS "https://deploy:fDs9Ap6Oi1Uy8Tr3eQ@registry.example.com/v2/"
