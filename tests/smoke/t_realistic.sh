# Realistic data through a broker: 200 records with a dozen realistic fields, a --let drawn
# from an entity pool ({line:FILE}) used as the key, in the JSON value and as a header, read
# back by kcat; every value parses as JSON, the key is the value's customer, the header its
# region, the IBANs' check digits hold, and a second run with the same --seed sends the same bytes.
. "$(dirname "$0")/lib.sh"
start_mock --topic people-a:3 --topic people-b:3
for n in $(seq 1 40); do printf 'CUST-%03d\n' "$n"; done > "$WORK/customers.txt"
send() {
  "$EMIT" -b "$BOOTSTRAP" -t "$1" -n 200 --seed 42 -o none -q \
    --let "cid={line:$WORK/customers.txt}" --let 'region={weighted:eu=5|us=3|apac=2}' \
    -k '{ref:cid}' -H 'region={ref:region}' \
    --value '{"n":{i},"customer":"{ref:cid}","region":"{ref:region}","name":"{name}","email":"{email}","phone":"{phone}","street":"{street}","city":"{city}","country":"{country}","ip":"{ipv4}","ip6":"{ipv6}","note":"{sentence}","lat":{lat},"lon":{lon},"iban":"{iban}","agent":"{user_agent}","qty":{int:1:9},"price":{float:1:500:2},"score":{normal:50:10},"rank":{zipf:1000:1.1},"shard":{hot:16:50}}' \
    2> "$WORK/err" || fail "exit $? sending to $1: $(tail -2 "$WORK/err")"
}
send people-a
send people-b
read_topic people-a '%k\t%h\t%s\n' > "$WORK/a"
read_topic people-b '%k\t%h\t%s\n' > "$WORK/b"
assert_eq "$(wc -l < "$WORK/a")" 200 "records in people-a"
python3 - "$WORK/a" <<'PY' || fail "a record is not what was asked for (above)"
import json, sys
seen = set()
for line in open(sys.argv[1], encoding="utf-8"):
    key, headers, value = line.rstrip("\n").split("\t", 2)
    v = json.loads(value)
    assert v["customer"] == key, (key, v["customer"])
    assert key.startswith("CUST-") and 1 <= int(key[5:]) <= 40, key
    assert headers == "region=" + v["region"] and v["region"] in ("eu", "us", "apac"), (headers, v["region"])
    iban = v["iban"]
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    assert int(digits) % 97 == 1, iban
    assert -90 <= v["lat"] <= 90 and -180 <= v["lon"] <= 180 and 1 <= v["qty"] <= 9 and 0 <= v["rank"] < 1000
    assert len(v["ip"].split(".")) == 4 and len(v["ip6"].split(":")) == 8 and "@" in v["email"]
    seen.add(v["n"])
assert seen == set(range(200)), "record numbers 0..199"
PY
# the same seed: the same records, byte for byte (sorted by record number, as partitions interleave)
sort -t'	' -k3 "$WORK/a" > "$WORK/a.sorted"
sort -t'	' -k3 "$WORK/b" > "$WORK/b.sorted"
cmp -s "$WORK/a.sorted" "$WORK/b.sorted" || fail "two runs with --seed 42 differ: $(diff "$WORK/a.sorted" "$WORK/b.sorted" | head -3)"
# an unreadable pool is exit 66 naming the flag and the file, before anything is sent
"$EMIT" -b "$BOOTSTRAP" -t people-a -n 1 --value '{line:/nonexistent/pool.txt}' > /dev/null 2> "$WORK/err66"
assert_eq "$?" 66 "exit for a missing {line:FILE}"
grep -q -- "--value: {line:FILE} '/nonexistent/pool.txt'" "$WORK/err66" || fail "message: $(cat "$WORK/err66")"
echo "realistic data on $SMOKE_SERVER: 200 records, JSON values, key = {ref:cid}, IBANs valid, same seed same bytes"
