#!/bin/sh
# Sample HiveMind task in plain shell: count the words of the bundled text.
set -e
wc -w < text.txt > word_count.txt
echo "task $TASK_ID counted $(cat word_count.txt) words"
