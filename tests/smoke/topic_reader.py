"""The smoke tests' one way to read a whole topic with confluent-kafka's consumer (its wheel
bundles its own librdkafka, an independent reader): no consumer group, every partition assigned
from the beginning and read to its end (partition EOF). The consume*.py scripts import it."""
import os
import sys

from confluent_kafka import Consumer, KafkaError, TopicPartition, OFFSET_BEGINNING


def messages(bootstrap, topic, isolation="read_uncommitted"):
    """Every message of TOPIC, in partition order; exits the script with a message on an error
    or when nothing (not even the end of a partition) comes within 10 s."""
    who = os.path.basename(sys.argv[0])
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "smoke-reader", "enable.partition.eof": True,
                  "enable.auto.commit": False, "isolation.level": isolation, "log_level": 0})
    partitions = c.list_topics(topic, timeout=10).topics[topic].partitions
    c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
    done, out = set(), []
    while len(done) < len(partitions):
        m = c.poll(10)
        if m is None:
            sys.exit(f"{who}: no message or end of partition within 10 s")
        if m.error():
            if m.error().code() == KafkaError._PARTITION_EOF:
                done.add(m.partition())
                continue
            sys.exit(f"{who}: {m.error()}")
        out.append(m)
    c.close()
    return out
