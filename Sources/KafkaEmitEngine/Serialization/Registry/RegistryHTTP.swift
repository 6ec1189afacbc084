import CCurlShim
#if canImport(Glibc)
import Glibc
#endif

/// One HTTP exchange through CCurlShim (libcurl, loaded on the first call).
enum RegistryHTTP {
    enum Outcome {
        /// An answer arrived, whatever its status.
        case answer(status: Int, body: [UInt8])
        /// No answer: connection refused, DNS, TLS, timeout — curl's own words and CURLcode.
        case transport(String, curlCode: Int32)
        /// libcurl could not be loaded: no URL can work.
        case noLibcurl(String)
        case noMemory
    }

    struct Request {
        var method: String
        var url: String
        var body: [UInt8]?
        var headers: [String]
        var userInfo: String?
        var bearerToken: String?
        var caFile: String?
        var certificateFile: String?
        var keyFile: String?
        var timeoutMs: Int
    }

    static func perform(_ r: Request) -> Outcome {
        // C strings that live until the call returns.
        var owned: [UnsafeMutablePointer<CChar>] = []
        defer { owned.forEach { free($0) } }
        func c(_ s: String?) -> UnsafePointer<CChar>? {
            guard let s, let p = strdup(s) else { return nil }
            owned.append(p)
            return UnsafePointer(p)
        }
        let headers: [UnsafePointer<CChar>?] = r.headers.map { c($0) }
        var req = ke_http_request()
        req.method = c(r.method)
        req.url = c(r.url)
        req.userpwd = c(r.userInfo)
        req.bearer_token = c(r.bearerToken)
        req.ca_file = c(r.caFile)
        req.cert_file = c(r.certificateFile)
        req.key_file = c(r.keyFile)
        req.timeout_ms = r.timeoutMs
        req.connect_timeout_ms = 0
        req.max_body = 0
        // A non-NULL body pointer tells the shim to send a body, also an empty one.
        let empty = UnsafeRawPointer(c(""))
        var resp = ke_http_response()
        let rc: Int32 = headers.withUnsafeBufferPointer { h in
            req.headers = h.baseAddress
            req.header_count = h.count
            guard let body = r.body else { return ke_http_request(&req, &resp) }
            return body.withUnsafeBytes { b in
                req.body = b.baseAddress ?? empty
                req.body_len = b.count
                return ke_http_request(&req, &resp)
            }
        }
        defer { ke_http_response_free(&resp) }
        let error = resp.error.map { String(cString: $0) } ?? "unknown error"
        switch rc {
        case Int32(KE_HTTP_OK):
            let body = resp.body.map { Array(UnsafeRawBufferPointer(start: $0, count: resp.body_len)) } ?? []
            return .answer(status: resp.status, body: body)
        case Int32(KE_HTTP_TRANSPORT): return .transport(error, curlCode: resp.curl_code)
        case Int32(KE_HTTP_NO_LIBCURL): return .noLibcurl(error)
        default: return .noMemory
        }
    }

    /// CURLE_PEER_FAILED_VERIFICATION (curl.h's frozen value): the server's certificate is not
    /// trusted.
    static let untrustedServer: Int32 = 60

    /// Whether this process has loaded libcurl (tests: a run without a registry must not).
    static var libcurlLoaded: Bool { ke_http_loaded() != 0 }
}
