#ifndef KAFKA_EMIT_CZLIB_SHIM_H
#define KAFKA_EMIT_CZLIB_SHIM_H
#include <zlib.h>
#endif
