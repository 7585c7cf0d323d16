#!/usr/bin/env bash
# Java 17 for the in-process Spark (pyspark): Debian's openjdk-17-jre-headless, installed when no java is found.
set -euo pipefail
if command -v java >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "Java is missing: apt-get install openjdk-17-jre-headless (as root)" >&2; exit 1; fi
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
