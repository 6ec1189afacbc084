# --help, the man page, the three completion scripts and the README agree on the options:
# every option --help shows is in the man page and in each completion script (they are all
# read from one table), and every --flag the README names is either one of them or a flag of
# another tool that kafka-emit answers with its own spelling.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
"$EMIT" --help > "$WORK/help"
# option spellings: the words of the option column (-x, --long), up to the value name or the help
awk '/^  -/ { for (i = 1; i <= NF; i++) { w = $i; sub(/,$/, "", w); if (w !~ /^--?[A-Za-z]/) break
                                          n = split(w, parts, "/"); for (k = 1; k <= n; k++) print parts[k] } }' "$WORK/help" \
  | sort -u > "$WORK/known"
[ "$(wc -l < "$WORK/known")" -ge 60 ] || fail "only $(wc -l < "$WORK/known") options read from --help"
"$EMIT" --generate-manual > "$WORK/man"
for shell in bash zsh fish; do "$EMIT" --generate-completion-script "$shell" > "$WORK/$shell"; done
missing=0
while read -r opt; do
  name=${opt#-}; name=${name#-}
  grep -q -- "Fl ${opt#-}\b" "$WORK/man" || { echo "man page lacks $opt"; missing=$((missing + 1)); }
  grep -qw -- "$opt" "$WORK/bash" || { echo "bash completion lacks $opt"; missing=$((missing + 1)); }
  grep -q -- "$opt[],[' ]" "$WORK/zsh" || grep -q -- "$opt}" "$WORK/zsh" || { echo "zsh completion lacks $opt"; missing=$((missing + 1)); }
  if [[ "$opt" == --* ]]; then flag="-l $name"; else flag="-s $name"; fi
  grep -q -- " $flag\b" "$WORK/fish" || { echo "fish completion lacks $opt"; missing=$((missing + 1)); }
done < "$WORK/known"
[ "$missing" = 0 ] || fail "$missing option spellings missing from the man page or a completion script"

# every --flag in the README: ours, or another tool's that gets our spelling in its error
grep -oE -- '(^|[^A-Za-z0-9-])--[a-z][a-z0-9.-]*[a-z0-9]' "$ROOT/README.md" | sed 's/^[^-]*//' | sort -u > "$WORK/readme"
# flags of other programs the README shows in their own command lines
others=(--static-swift-stdlib --timeline --stages --tool)   # swift build; examples/merge-histograms.py; valgrind
unknown=0
while read -r flag; do
  grep -qx -- "$flag" "$WORK/known" && continue
  [[ " ${others[*]} " == *" $flag "* ]] && continue
  err=$("$EMIT" "$flag" 2>&1 >/dev/null)
  case "$err" in
    *"Unknown option '$flag'; "*) ;;                           # a foreign flag with its hint
    *"Unknown option"*) echo "README names $flag, which kafka-emit does not know: $err"; unknown=$((unknown + 1)) ;;
  esac
done < "$WORK/readme"
[ "$unknown" = 0 ] || fail "$unknown README flags unknown to kafka-emit"
echo "docs agree: $(wc -l < "$WORK/known") option spellings in --help, the man page and 3 completion scripts; $(wc -l < "$WORK/readme") README flags known or answered"
