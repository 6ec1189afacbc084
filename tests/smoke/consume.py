"""Reads a whole topic with confluent-kafka's consumer (the second independent reader of the
smoke tests; its wheel bundles its own librdkafka): one line per record, "KEY VALUE", in
partition order. No consumer group: every partition is assigned from the beginning and read
to its end (partition EOF). usage: consume.py BOOTSTRAP TOPIC [read_committed]"""
import sys

from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING

bootstrap, topic = sys.argv[1], sys.argv[2]
isolation = sys.argv[3] if len(sys.argv) > 3 else "read_uncommitted"
c = Consumer({"bootstrap.servers": bootstrap, "group.id": "smoke-reader", "enable.partition.eof": True,
              "enable.auto.commit": False, "isolation.level": isolation, "log_level": 0})
partitions = c.list_topics(topic, timeout=10).topics[topic].partitions
c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
done, out = set(), []
while len(done) < len(partitions):
    m = c.poll(10)
    if m is None:
        sys.exit("consume.py: no message or end of partition within 10 s")
    if m.error():
        if m.error().code() == KafkaError._PARTITION_EOF:
            done.add(m.partition())
            continue
        sys.exit(f"consume.py: {m.error()}")
    key = m.key().decode() if m.key() is not None else "NULL"
    out.append(f"{key} {m.value().decode()}")
c.close()
print("\n".join(out))
