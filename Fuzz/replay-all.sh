#!/bin/sh
# Replays every fuzz harness over its saved corpus and past findings, without mutation (CI runs this):
# a parser change that reopens a past finding fails here.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for name in nginx apache s3 logs aws-waf cloudflare modsecurity response; do
    "$here/$name/run.sh" --replay
done
