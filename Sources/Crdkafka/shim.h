#ifndef KAFKA_EMIT_CRDKAFKA_SHIM_H
#define KAFKA_EMIT_CRDKAFKA_SHIM_H
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#endif
