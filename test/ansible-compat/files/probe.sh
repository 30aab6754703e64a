#!/bin/sh
echo "probe $1 $(id -un)"
