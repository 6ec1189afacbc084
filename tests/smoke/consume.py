"""Reads a whole topic with confluent-kafka's consumer (the second independent reader of the
smoke tests; its wheel bundles its own librdkafka): one line per record, "KEY VALUE", in
partition order. No consumer group: every partition is assigned from the beginning and read
to its end (partition EOF). usage: consume.py BOOTSTRAP TOPIC [read_committed]"""
import sys

import topic_reader  # tests/smoke/topic_reader.py


bootstrap, topic = sys.argv[1], sys.argv[2]
isolation = sys.argv[3] if len(sys.argv) > 3 else "read_uncommitted"
out = []
for m in topic_reader.messages(bootstrap, topic, isolation):
    key = m.key().decode() if m.key() is not None else "NULL"
    out.append(f"{key} {m.value().decode()}")
print("\n".join(out))
