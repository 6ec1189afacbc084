// libcurl through dlopen: see include/kafka_emit_curl.h for why.
#include "kafka_emit_curl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libcurl's frozen ABI, copied from curl/curl.h (curl keeps these numbers forever: an option's
// number is its type base — LONG 0, OBJECTPOINT 10000, FUNCTIONPOINT 20000, OFF_T 30000 —
// plus its index). We declare them here instead of including curl.h so building needs no
// libcurl4-openssl-dev.
enum {
    KE_CURLOPT_WRITEDATA = 10001,
    KE_CURLOPT_URL = 10002,
    KE_CURLOPT_USERPWD = 10005,
    KE_CURLOPT_ERRORBUFFER = 10010,
    KE_CURLOPT_WRITEFUNCTION = 20011,
    KE_CURLOPT_POSTFIELDS = 10015,
    KE_CURLOPT_HTTPHEADER = 10023,
    KE_CURLOPT_SSLCERT = 10025,
    KE_CURLOPT_CUSTOMREQUEST = 10036,
    KE_CURLOPT_CAINFO = 10065,
    KE_CURLOPT_SSLKEY = 10087,
    KE_CURLOPT_NOSIGNAL = 99,
    KE_CURLOPT_HTTPAUTH = 107,
    KE_CURLOPT_POSTFIELDSIZE_LARGE = 30120,
    KE_CURLOPT_TIMEOUT_MS = 155,
    KE_CURLOPT_CONNECTTIMEOUT_MS = 156,
    KE_CURLOPT_PROTOCOLS_STR = 10318,      // curl >= 7.85; older ones refuse it (ignored)
    KE_CURLINFO_RESPONSE_CODE = 0x200002,  // CURLINFO_LONG + 2
    KE_CURL_ERROR_SIZE = 256,
};
#define KE_CURLAUTH_BASIC 1UL              // CURLAUTH_BASIC, (unsigned long)1 << 0
#define KE_CURL_GLOBAL_DEFAULT 3L          // CURL_GLOBAL_SSL | CURL_GLOBAL_WIN32
#define KE_CURLE_WRITE_ERROR 23

typedef void CURL;
struct curl_slist;
typedef size_t (*ke_write_fn)(char *, size_t, size_t, void *);

// The functions we use, resolved once (C's variadic calls through a pointer of the variadic
// type are what curl.h's own prototypes compile to).
static struct {
    int (*global_init)(long);
    CURL *(*easy_init)(void);
    int (*easy_setopt)(CURL *, int, ...);
    int (*easy_perform)(CURL *);
    int (*easy_getinfo)(CURL *, int, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(int);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const char *load_error;   // set when loading failed; static text
static char load_error_buffer[256];
static int loaded;

static void load(void) {
    // RTLD_LOCAL: curl's symbols (and its OpenSSL's) stay out of the global namespace, so they
    // cannot stand in for librdkafka's.
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        load_error = "libcurl.so.4 not found: install libcurl4 (apt-get install libcurl4)";
        return;
    }
#define KE_SYM(field, name)                                                                \
    do {                                                                                   \
        *(void **)(&curl.field) = dlsym(lib, name);                                        \
        if (!curl.field) {                                                                 \
            snprintf(load_error_buffer, sizeof load_error_buffer,                          \
                     "libcurl.so.4 has no %s: install a current libcurl4", name);          \
            load_error = load_error_buffer;                                                \
            return;                                                                        \
        }                                                                                  \
    } while (0)
    KE_SYM(global_init, "curl_global_init");
    KE_SYM(easy_init, "curl_easy_init");
    KE_SYM(easy_setopt, "curl_easy_setopt");
    KE_SYM(easy_perform, "curl_easy_perform");
    KE_SYM(easy_getinfo, "curl_easy_getinfo");
    KE_SYM(easy_cleanup, "curl_easy_cleanup");
    KE_SYM(easy_strerror, "curl_easy_strerror");
    KE_SYM(slist_append, "curl_slist_append");
    KE_SYM(slist_free_all, "curl_slist_free_all");
#undef KE_SYM
    // Not thread-safe in older libcurls: done once, here, under pthread_once.
    int rc = curl.global_init(KE_CURL_GLOBAL_DEFAULT);
    if (rc != 0) {
        snprintf(load_error_buffer, sizeof load_error_buffer, "libcurl failed to initialise: %s",
                 curl.easy_strerror(rc));
        load_error = load_error_buffer;
        return;
    }
    loaded = 1;
}

int ke_http_loaded(void) { return loaded; }

// The answer's body, grown as it arrives; a body over `max` aborts the transfer.
struct sink {
    char *data;
    size_t len, cap, max;
    int too_big, no_memory;
};

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *user) {
    struct sink *s = user;
    size_t n = size * nmemb;
    if (s->len + n > s->max) { s->too_big = 1; return 0; }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 4096;
        while (cap < s->len + n + 1) cap *= 2;
        char *grown = realloc(s->data, cap);
        if (!grown) { s->no_memory = 1; return 0; }
        s->data = grown;
        s->cap = cap;
    }
    memcpy(s->data + s->len, ptr, n);
    s->len += n;
    s->data[s->len] = 0;
    return n;
}

static char *copy_text(const char *text) {
    size_t n = strlen(text);
    char *out = malloc(n + 1);
    if (out) memcpy(out, text, n + 1);
    return out;
}

int ke_http_request(const struct ke_http_request *req, struct ke_http_response *resp) {
    memset(resp, 0, sizeof *resp);
    pthread_once(&load_once, load);
    if (!loaded) {
        resp->error = copy_text(load_error ? load_error : "libcurl.so.4 could not be loaded");
        return KE_HTTP_NO_LIBCURL;
    }
    CURL *h = curl.easy_init();
    if (!h) return KE_HTTP_NO_MEMORY;

    char errbuf[KE_CURL_ERROR_SIZE];
    errbuf[0] = 0;
    struct sink sink = {.max = req->max_body ? req->max_body : (size_t)64 << 20};
    struct curl_slist *headers = NULL;
    char *bearer = NULL;
    int result = KE_HTTP_OK;
    int rc = 0;

    // "Expect:" (empty) stops curl from sending `Expect: 100-continue` before a larger body
    // and waiting up to a second for a registry that never answers it.
    struct curl_slist *grown = curl.slist_append(headers, "Expect:");
    if (!grown) goto no_memory;
    headers = grown;
    for (size_t i = 0; i < req->header_count; i++) {
        grown = curl.slist_append(headers, req->headers[i]);
        if (!grown) goto no_memory;
        headers = grown;
    }
    if (req->bearer_token) {
        size_t n = strlen(req->bearer_token) + sizeof "Authorization: Bearer ";
        bearer = malloc(n);
        if (!bearer) goto no_memory;
        snprintf(bearer, n, "Authorization: Bearer %s", req->bearer_token);
        grown = curl.slist_append(headers, bearer);
        if (!grown) goto no_memory;
        headers = grown;
    }

    // Setting an option fails only for a bad value or an option this libcurl lacks; the ones
    // that matter are checked (stopping at the first failure), the rest are best effort.
#define KE_SET(option, value) \
    do { if (rc == 0) rc = curl.easy_setopt(h, option, value); } while (0)
    KE_SET(KE_CURLOPT_ERRORBUFFER, errbuf);
    // No signals: a timeout must not raise SIGALRM in a multi-threaded process.
    KE_SET(KE_CURLOPT_NOSIGNAL, 1L);
    KE_SET(KE_CURLOPT_URL, req->url);
    KE_SET(KE_CURLOPT_HTTPHEADER, headers);
    KE_SET(KE_CURLOPT_WRITEFUNCTION, (ke_write_fn)on_write);
    KE_SET(KE_CURLOPT_WRITEDATA, (void *)&sink);
    if (req->body) {
        KE_SET(KE_CURLOPT_POSTFIELDSIZE_LARGE, (int64_t)req->body_len);
        KE_SET(KE_CURLOPT_POSTFIELDS, req->body);
    }
    // With a body curl posts; anything else (a GET, a body-less POST, DELETE) is named.
    if (req->method && !(req->body && strcmp(req->method, "POST") == 0) && strcmp(req->method, "GET") != 0)
        KE_SET(KE_CURLOPT_CUSTOMREQUEST, req->method);
    if (req->userpwd) {
        KE_SET(KE_CURLOPT_HTTPAUTH, KE_CURLAUTH_BASIC);
        KE_SET(KE_CURLOPT_USERPWD, req->userpwd);
    }
    if (req->ca_file) KE_SET(KE_CURLOPT_CAINFO, req->ca_file);
    if (req->cert_file) KE_SET(KE_CURLOPT_SSLCERT, req->cert_file);
    if (req->key_file) KE_SET(KE_CURLOPT_SSLKEY, req->key_file);
    if (req->timeout_ms > 0) KE_SET(KE_CURLOPT_TIMEOUT_MS, req->timeout_ms);
    if (req->connect_timeout_ms > 0) KE_SET(KE_CURLOPT_CONNECTTIMEOUT_MS, req->connect_timeout_ms);
#undef KE_SET
    // Only HTTP(S): a registry URL must not read file:// or speak any other protocol. Best
    // effort (older libcurls lack the option); redirects are not followed at all.
    if (rc == 0) (void)curl.easy_setopt(h, KE_CURLOPT_PROTOCOLS_STR, "http,https");

    if (rc == 0) rc = curl.easy_perform(h);
    if (rc == 0) {
        long status = 0;
        curl.easy_getinfo(h, KE_CURLINFO_RESPONSE_CODE, &status);
        resp->status = status;
        resp->body = sink.data ? sink.data : copy_text("");
        resp->body_len = sink.len;
        sink.data = NULL;
        if (!resp->body) result = KE_HTTP_NO_MEMORY;
    } else if (sink.no_memory) {
        result = KE_HTTP_NO_MEMORY;
    } else {
        char text[KE_CURL_ERROR_SIZE + 64];
        if (rc == KE_CURLE_WRITE_ERROR && sink.too_big)
            snprintf(text, sizeof text, "the answer is larger than %zu bytes", sink.max);
        else
            snprintf(text, sizeof text, "%s", errbuf[0] ? errbuf : curl.easy_strerror(rc));
        resp->curl_code = rc;
        resp->error = copy_text(text);
        result = KE_HTTP_TRANSPORT;
    }
    goto done;

no_memory:
    result = KE_HTTP_NO_MEMORY;
done:
    curl.easy_cleanup(h);
    if (headers) curl.slist_free_all(headers);
    if (bearer) {
        // The token is a secret: leave no copy in freed memory.
        volatile char *p = bearer;
        while (*p) *p++ = 0;
        free(bearer);
    }
    free(sink.data);
    return result;
}

void ke_http_response_free(struct ke_http_response *resp) {
    free(resp->body);
    free(resp->error);
    resp->body = NULL;
    resp->error = NULL;
}
