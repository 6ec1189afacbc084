# NUL bytes, invalid UTF-8, CRLF endings, an empty line and a last line without newline:
# kcat reads back exactly the bytes sent (%S = value length, -1 for null).
. "$(dirname "$0")/lib.sh"
start_mock --topic bytes:1
printf 'a\0b\nx\xff\xfe\ny\r\n\nlast' | "$EMIT" -b "$BOOTSTRAP" -t bytes -i - -q > "$WORK/out.txt" || fail "exit $?"
assert_eq "$(wc -l < "$WORK/out.txt")" 5 "result lines"
read_topic bytes '%S:%s|' > "$WORK/back.bin"
printf '3:a\0b|3:x\xff\xfe|1:y|0:|4:last|' > "$WORK/want.bin"
cmp "$WORK/want.bin" "$WORK/back.bin" || { od -c "$WORK/back.bin" >&2; fail "bytes differ"; }
# -Z sends the empty line as a tombstone (null value, %S = -1); -K splits key and value
printf 'k1=v1\nk2=\nnokey\n' | "$EMIT" -b "$BOOTSTRAP" -t bytes2 -p 0 -i - -K = -Z -q > /dev/null || fail "exit $?"
assert_eq "$(read_topic bytes2 '%K:%k %S:%s|')" "2:k1 2:v1|2:k2 -1:|-1: 5:nokey|" "key split and tombstone"
