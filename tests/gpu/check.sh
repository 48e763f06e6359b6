#!/usr/bin/env bash
# Former name of the GPU check; tests/gpu/device.sh is the one device command now (docs/gpu.md).
exec bash "$(dirname "$0")/device.sh" "$@"
