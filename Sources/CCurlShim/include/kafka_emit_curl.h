// kafka-emit's one door to libcurl, for the Schema Registry client.
//
// libcurl is loaded with dlopen on the first request, never linked: a run that does not use a
// registry neither needs libcurl installed nor pays for loading it (and OpenSSL behind it) at
// start-up, and building needs no curl headers. Swift cannot call curl_easy_setopt (variadic),
// so a whole request is one non-variadic call here.
#ifndef KAFKA_EMIT_CURL_H
#define KAFKA_EMIT_CURL_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One HTTP request. Every string is NUL-terminated UTF-8; NULL (or 0) means "not set".
struct ke_http_request {
    const char *method;             // "GET", "POST", ...
    const char *url;                // no user info: credentials go in `userpwd`
    const void *body;               // sent when non-NULL (also when body_len is 0)
    size_t body_len;
    const char *const *headers;     // extra "Name: value" lines
    size_t header_count;
    const char *userpwd;            // basic auth, "user:password"
    const char *bearer_token;       // sent as "Authorization: Bearer <token>"
    const char *ca_file;            // PEM bundle that replaces the system's CAs
    const char *cert_file;          // client certificate (PEM), for mutual TLS
    const char *key_file;           // its private key (PEM)
    long timeout_ms;                // the whole request, connection included
    long connect_timeout_ms;
    size_t max_body;                // a larger answer is refused (0: 64 MiB)
};

/// What came back. `body` and `error` are malloc'd: release with ke_http_response_free.
struct ke_http_response {
    long status;                    // the HTTP status, when an answer arrived
    char *body;                     // NUL-terminated for convenience; body_len excludes the NUL
    size_t body_len;
    int curl_code;                  // libcurl's CURLcode (0 when an answer arrived)
    char *error;                    // why no answer arrived (curl's own words), else NULL
};

/// Results of ke_http_request.
enum {
    KE_HTTP_OK = 0,                 // an answer arrived (any status): `status`, `body`
    KE_HTTP_TRANSPORT = 1,          // no answer: connection, TLS, timeout... (`error`)
    KE_HTTP_NO_LIBCURL = 2,         // libcurl.so.4 could not be loaded (`error` says so)
    KE_HTTP_NO_MEMORY = 3,
};

int ke_http_request(const struct ke_http_request *req, struct ke_http_response *resp);
void ke_http_response_free(struct ke_http_response *resp);

/// 1 when libcurl has been loaded in this process (for tests of lazy loading).
int ke_http_loaded(void);

#ifdef __cplusplus
}
#endif
#endif
