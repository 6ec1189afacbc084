# Files mode (kcat -P FILE...): each file one record, whole content byte-exact (binary, empty),
# {file} its name; a file larger than message.max.bytes fails alone.
. "$(dirname "$0")/lib.sh"
start_mock --topic files:1
printf 'line one\nline two\n' > "$WORK/a.txt"
printf '\x00\x01\xff\xfe binary\r\n' > "$WORK/b.bin"
: > "$WORK/empty"
"$EMIT" -b "$BOOTSTRAP" -t files "$WORK/a.txt" "$WORK/b.bin" "$WORK/empty" -H 'name={file}' -q > "$WORK/out.txt" || fail "exit $?"
assert_eq "$(grep -c '^delivered topic=files' "$WORK/out.txt")" 3 "delivered lines"
read_topic files '%S|%s|' > "$WORK/back.bin"
{ printf '18|line one\nline two\n|'; printf '13|\x00\x01\xff\xfe binary\r\n|'; printf '0||'; } > "$WORK/want.bin"
cmp "$WORK/want.bin" "$WORK/back.bin" || { od -c "$WORK/back.bin" | head >&2; fail "file contents differ"; }
assert_eq "$(read_topic files '%h\n' | sed "s|$WORK/||")" "$(printf 'name=a.txt\nname=b.bin\nname=empty')" "{file} header"
# too large: that file fails, the others are delivered; exit 1
head -c 5000 /dev/urandom > "$WORK/big.bin"
"$EMIT" -b "$BOOTSTRAP" -t files "$WORK/a.txt" "$WORK/big.bin" "$WORK/b.bin" -X message.max.bytes=2000 --continue-on-error -q > "$WORK/out2.txt"; rc=$?
assert_eq "$rc" 1 "exit with a too-large file"
grep -q '^failed topic=files correlation=1 error="MSG_SIZE_TOO_LARGE: file .*big.bin.: larger than message.max.bytes (2000)' "$WORK/out2.txt" || fail "failed line: $(cat "$WORK/out2.txt")"
assert_eq "$(grep -c '^delivered' "$WORK/out2.txt")" 2 "the other files"
# a missing file is exit 66 before anything is sent
"$EMIT" -b "$BOOTSTRAP" -t files "$WORK/a.txt" "$WORK/nope" > "$WORK/o3" 2> "$WORK/e3"; rc=$?
assert_eq "$rc" 66 "missing file"
[ -s "$WORK/o3" ] && fail "sent something before failing"
grep -q "FILE '.*nope': No such file" "$WORK/e3" || fail "message: $(cat "$WORK/e3")"
exit 0
