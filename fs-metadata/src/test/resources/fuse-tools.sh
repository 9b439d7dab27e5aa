#!/usr/bin/env bash
# Runs the same real-tool workload in a directory; the test runs it on the mount and on a temp dir
# and compares. Args: target dir, source tree to copy.
set -euo pipefail
cd "$1"
SRC="$2"
mkdir -p a/b/c
echo hello > a/b/c/f.txt
cp -r "$SRC" a/src
tar cf ../t.tar -C a src
mkdir x && tar xf ../t.tar -C x
mv a/b/c/f.txt a/moved.txt
mv x/src a/b/renamed
ln a/moved.txt a/hard.txt
ln -s moved.txt a/sym
chmod 600 a/moved.txt
touch -d @1577934245 a/hard.txt
rm -rf a/src/test x
find . -name '*.java' | sort > list.txt
seq 1 100000 > rand.bin
cp rand.bin rand2.bin
truncate -s 3G sparse.bin
printf 'end' | dd of=sparse.bin bs=1 seek=$((3*1024*1024*1024)) conv=notrunc status=none
git init -q repo
cd repo
echo content > file
git add file
git -c user.email=t@example.com -c user.name=t commit -qm initial
git log --oneline | wc -l > ../commits.txt
cd ..
stat -c '%a %h %Y' a/moved.txt a/hard.txt > stat.txt
