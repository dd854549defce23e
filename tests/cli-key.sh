#!/bin/sh
# cli-key.sh: placeholder until its checks land (issue 2).
exit 77
