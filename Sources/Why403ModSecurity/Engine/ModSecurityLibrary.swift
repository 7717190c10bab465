import CModSecurity
import Foundation
import Why403Core
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libmodsecurity 3, opened at run time with `dlopen` (the project never links it: `swift build` and
/// `why403 lab` work on a machine without it). The function types come from our own small header,
/// `CModSecurity/include/why403_modsecurity.h`.
public final class ModSecurityLibrary: @unchecked Sendable {
    /// The names tried, in order, when no path is given.
    public static let defaultNames = ["libmodsecurity.so.3", "libmodsecurity.so", "libmodsecurity.3.dylib"]

    /// What a missing library means, and which package to install.
    static let installHelp = """
        install libmodsecurity 3: apt-get install libmodsecurity3 (Debian, Ubuntu), dnf install libmodsecurity \
        (Fedora, EPEL), apk add libmodsecurity (Alpine); or name the library with WHY403_LIBMODSECURITY=/path/to/libmodsecurity.so.3
        """

    /// The file `dlopen` opened (the name as given).
    public let path: String

    let handle: UnsafeMutableRawPointer
    let initialize: why403_msc_init_fn
    let setConnectorInfo: why403_msc_set_connector_info_fn
    let setLogCallback: why403_msc_set_log_cb_fn
    let cleanup: why403_msc_cleanup_fn
    let whoAmI: why403_msc_who_am_i_fn
    let createRulesSet: why403_msc_create_rules_set_fn
    let rulesAdd: why403_msc_rules_add_fn
    let rulesAddFile: why403_msc_rules_add_file_fn
    let rulesCleanup: why403_msc_rules_cleanup_fn
    let newTransaction: why403_msc_new_transaction_fn
    let processConnection: why403_msc_process_connection_fn
    let processURI: why403_msc_process_uri_fn
    let addRequestHeader: why403_msc_add_n_request_header_fn
    let processRequestHeaders: why403_msc_process_request_headers_fn
    let appendRequestBody: why403_msc_append_request_body_fn
    let processRequestBody: why403_msc_process_request_body_fn
    let intervention: why403_msc_intervention_fn
    let processLogging: why403_msc_process_logging_fn
    let transactionCleanup: why403_msc_transaction_cleanup_fn

    nonisolated(unsafe) private static var cache: [String: ModSecurityLibrary] = [:]
    private static let cacheLock = NSLock()

    /// Opens the library at `path` (else the first of `defaultNames` that opens), once per process.
    /// Throws `InputError` (exit 2) naming the package to install when it cannot be opened or lacks a
    /// function.
    public static func load(path: String? = nil) throws -> ModSecurityLibrary {
        let names = path.map { [$0] } ?? defaultNames
        cacheLock.lock(); defer { cacheLock.unlock() }
        if let cached = cache[names[0]] { return cached }
        var errors: [String] = []
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                errors.append(dlerror().map { String(cString: $0) } ?? name)
                continue
            }
            let library = try ModSecurityLibrary(path: name, handle: handle)
            cache[names[0]] = library
            return library
        }
        throw InputError(file: path, message: "libmodsecurity 3 could not be opened (\(errors.last ?? "dlopen failed"))",
                         help: installHelp)
    }

    private init(path: String, handle: UnsafeMutableRawPointer) throws {
        self.path = path
        self.handle = handle
        func symbol<T>(_ name: String, _ type: T.Type) throws -> T {
            guard let p = dlsym(handle, name) else {
                throw InputError(file: path, message: "\(path) has no function \(name): not libmodsecurity 3",
                                 help: ModSecurityLibrary.installHelp)
            }
            return unsafeBitCast(p, to: type)
        }
        initialize = try symbol("msc_init", why403_msc_init_fn.self)
        setConnectorInfo = try symbol("msc_set_connector_info", why403_msc_set_connector_info_fn.self)
        setLogCallback = try symbol("msc_set_log_cb", why403_msc_set_log_cb_fn.self)
        cleanup = try symbol("msc_cleanup", why403_msc_cleanup_fn.self)
        whoAmI = try symbol("msc_who_am_i", why403_msc_who_am_i_fn.self)
        createRulesSet = try symbol("msc_create_rules_set", why403_msc_create_rules_set_fn.self)
        rulesAdd = try symbol("msc_rules_add", why403_msc_rules_add_fn.self)
        rulesAddFile = try symbol("msc_rules_add_file", why403_msc_rules_add_file_fn.self)
        rulesCleanup = try symbol("msc_rules_cleanup", why403_msc_rules_cleanup_fn.self)
        newTransaction = try symbol("msc_new_transaction", why403_msc_new_transaction_fn.self)
        processConnection = try symbol("msc_process_connection", why403_msc_process_connection_fn.self)
        processURI = try symbol("msc_process_uri", why403_msc_process_uri_fn.self)
        addRequestHeader = try symbol("msc_add_n_request_header", why403_msc_add_n_request_header_fn.self)
        processRequestHeaders = try symbol("msc_process_request_headers", why403_msc_process_request_headers_fn.self)
        appendRequestBody = try symbol("msc_append_request_body", why403_msc_append_request_body_fn.self)
        processRequestBody = try symbol("msc_process_request_body", why403_msc_process_request_body_fn.self)
        intervention = try symbol("msc_intervention", why403_msc_intervention_fn.self)
        processLogging = try symbol("msc_process_logging", why403_msc_process_logging_fn.self)
        transactionCleanup = try symbol("msc_transaction_cleanup", why403_msc_transaction_cleanup_fn.self)
    }
}
