# make install puts binary, man page and completions under PREFIX; make uninstall removes them.
# (Uses the debug build already made by `make test`, so it adds no release build to CI.)
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
command -v man >/dev/null || "$ROOT/scripts/ensure-deps.sh" man
P="$WORK/prefix"
make -s -C "$ROOT" man completions >/dev/null || fail "make man completions"
make -s -C "$ROOT" install-files PREFIX="$P" BIN_DIR="$BIN" || fail "make install-files"
"$P/bin/kafka-emit" -V | grep -q '^kafka-emit ' || fail "installed binary"
bash -n "$P/share/bash-completion/completions/kafka-emit" || fail "bash completion does not parse"
grep -q -- '--bootstrap-servers' "$P/share/zsh/site-functions/_kafka-emit" || fail "zsh completion"
grep -q -- 'bootstrap-servers' "$P/share/fish/vendor_completions.d/kafka-emit.fish" || fail "fish completion"
MANWIDTH=100 man -l "$P/share/man/man1/kafka-emit.1" > "$WORK/man.txt" 2> "$WORK/man.err" || fail "man -l"
grep -q 'KAFKA-EMIT(1)' "$WORK/man.txt" || fail "man page header"
grep -q -- '--connect-timeout' "$WORK/man.txt" || fail "man page lacks the options"
[ -s "$WORK/man.err" ] && fail "man warnings: $(head -3 "$WORK/man.err")"
# completion offers our flags in bash
out=$(bash -c ". '$P/share/bash-completion/completions/kafka-emit'; COMP_WORDS=(kafka-emit --conn); COMP_CWORD=1; COMP_LINE='kafka-emit --conn'; COMP_POINT=\${#COMP_LINE}; _kafka-emit kafka-emit --conn kafka-emit 2>/dev/null; echo \"\${COMPREPLY[*]}\"")
case "$out" in *--connect-timeout*) ;; *) fail "bash completion for --conn: '$out'" ;; esac
# ... and the values of typed options: `--acks <TAB>`, `-z <TAB>`, `-o <TAB>`, and files for -i
complete_words() { # words...; the last one is being completed
  bash -c ". '$P/share/bash-completion/completions/kafka-emit'; COMP_WORDS=($*); COMP_CWORD=\$(( \${#COMP_WORDS[@]} - 1 )); COMP_LINE='$*'; COMP_POINT=\${#COMP_LINE}; _kafka-emit kafka-emit \"\${COMP_WORDS[-1]}\" \"\${COMP_WORDS[-2]}\" 2>/dev/null; printf '%s\\n' \"\${COMPREPLY[@]}\" | sort | tr '\\n' ' '"
}
assert_eq "$(complete_words kafka-emit --acks "''")" "-1 0 1 all " "bash completion for --acks"
assert_eq "$(complete_words kafka-emit -z "''")" "gzip lz4 none snappy zstd " "bash completion for -z"
assert_eq "$(complete_words kafka-emit -o "''")" "json none text " "bash completion for -o"
assert_eq "$(complete_words kafka-emit --input-format "''")" "json lines " "bash completion for --input-format"
touch "$WORK/events-one.txt"
case "$(cd "$WORK" && complete_words kafka-emit -i events-)" in *events-one.txt*) ;; *) fail "bash completion of files for -i" ;; esac
make -s -C "$ROOT" uninstall PREFIX="$P" || fail "make uninstall"
[ -z "$(find "$P" -type f)" ] || fail "left behind: $(find "$P" -type f)"
