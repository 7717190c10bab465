import Why403Core

/// Apache httpd's built-in error pages ("<h1>Forbidden</h1><p>You don't have permission to access
/// this resource.</p>…<address>Apache/2.4.x …</address>"), learnt from the real apache2 on loopback.
enum Apache {
    static let apache: Condition = .any([.body("<address>Apache"), .headerContains("server", "Apache"),
                                         .body("<p>You don't have permission to access this resource."), .body("<p>This server could not verify that you"),
                                         .body("You don't have permission to access this resource"), .body("Apache/"), .body(" Server at "),
                                         .body("You don't have permission to access the requested"), .body("<title>Access forbidden!</title>"),
                                         .body("while trying to use an ErrorDocument"), .body("You don't have permission to access /"),
                                         .body("on this server.</p>"), .body("<span>Apache</span>")])
    /// The page: the 2.4 "Forbidden", the 2.2 one naming the path ("… to access /x on this server."), and
    /// the multilingual error documents of distributions and XAMPP ("Access forbidden!", "Error 403"),
    /// as HTML or as the text a browser shows.
    static let page403: Condition = .any([.body("<h1>Forbidden</h1>"), .body("Access forbidden!"),
                                          .body("You don't have permission to access"), .body("<h2>Error 403</h2>")]
                                         + localized403.map { .body($0) })
    /// The titles of httpd's multilingual error documents (`docs/error/HTTP_FORBIDDEN.html.var`, installed by
    /// Debian's apache2 in /usr/share/apache2/error/ and served with `Accept-Language` once
    /// `localized-error-pages.conf` is enabled), one per language; `LiveServerTests` compares the list with the
    /// installed files. The Polish and Swedish ones are cut before their character references.
    static let localized403 = ["Přístup odmítnut!", "Zugriff verweigert!", "¡Acceso prohibido!", "Accès interdit!",
                               "Rochtain neamh-cheadaithe!", "Accesso negato!", "접근이 거부됨!", "Toegang verboden!", "Adgang forbudt!",
                               "Zabroniony dost", "Acesso Proibido!", "Acesso proibido!", "Accesul interzis!", "Доступ запрещён!",
                               "Забрањен приступ!", "tkomst förbjuden!", "Erişim engellendi!", "禁止访问！", "禁止訪問！"]
    /// The same documents' 401 titles (`HTTP_UNAUTHORIZED.html.var`).
    static let localized401 = ["Authentication required!", "Požadována autentizace!", "Authentisierung fehlgeschlagen!",
                               "¡Autentificación requerida!", "Autorisation requise!", "Is gá fíordheimhniú!", "Autorizzazione necessaria!",
                               "인증 필요!", "Authenticatie nodig!", "Autentisering kreves!", "Wymagana autoryzacja!", "Autenticação Requerida!",
                               "Autenticação exigida!", "Autentificare necesara!", "Необходима аутентификация!", "Обавезна аутентификација!",
                               "Autentisering krävs!", "Kimlik doğrulama gerekli!", "需要认证！", "需要認證！"]
    /// Akamai's and LiteSpeed's pages read alike; they have their own signatures.
    static let notLookalike: Condition = .not(.any([.body("Reference #"), .body("errors.edgesuite.net"), .body("LiteSpeed")]))
    static let whiteBox = "explain it white-box from the configuration: `why403 apache URL --config /etc/apache2/apache2.conf`"

    static let signatures: [Signature] = [
        Signature(id: "apache-default-403", product: "Apache httpd", layer: .apache, cause: .unknown, confidence: .likely,
                  statuses: [403], when: [apache, page403, notLookalike],
                  summary: "Apache's own 403 page: httpd refused, and the page does not say why[ ({version})]",
                  extract: [Extract("version", "server", from: [.body(after: "<address>", chars: .identifier), .body(after: "Apache/", chars: .identifier),
                                                                .headerPrefix("server", separator: " ")])],
                  checks: ["the error log names the reason: AH01630 \"client denied by server configuration\" (Require: access.ip or access.deny), AH00035 \"search permissions are missing\" (fs.permission), AH01276 \"No matching DirectoryIndex\" (index.missing), AH00037 \"Symbolic link not allowed\" (fs.symlink), \"ModSecurity: Access denied\" (waf.rule)",
                           "read it: `why403 logs /var/log/apache2/error.log`", whiteBox],
                  specificity: 62),
        // core.c appends this sentence to the 403 page when an .htaccess on the path exists but cannot be read
        // (AH00529 "… .htaccess pcfg_openfile: unable to check htaccess file, ensure it is readable").
        Signature(id: "apache-htaccess-unreadable", product: "Apache httpd", layer: .apache, cause: .fsPermission, confidence: .certain,
                  statuses: [403], when: [apache, page403, .body("Server unable to read htaccess file, denying access to be safe")],
                  summary: "Apache refused because it cannot read an .htaccess file on the path, and denies access to be safe[ ({version})]",
                  extract: [Extract("version", "server", from: [.body(after: "<address>", chars: .identifier), .body(after: "Apache/", chars: .identifier),
                                                                .headerPrefix("server", separator: " ")])],
                  checks: ["the error log names the file: AH00529 \"…/.htaccess pcfg_openfile: unable to check htaccess file, ensure it is readable and that '…' is executable\"",
                           "`namei -l` on that path as the server's user (www-data/apache): every directory needs x, the .htaccess needs r", whiteBox],
                  fixes: [Fix(summary: "make the .htaccess readable by the server's user (and its directories searchable), or remove it if it is stray")],
                  specificity: 66),
        // httpd's canned 429 text (http_protocol.c, 2.4.3+), which a module answering HTTP_TOO_MANY_REQUESTS gets (mod_qos,
        // a RewriteRule's R=429): the line break after "requests" is httpd's own.
        Signature(id: "apache-default-429", product: "Apache httpd", layer: .apache, cause: .rateLimit, confidence: .likely,
                  statuses: [429], when: [.body("<p>The user has sent too many requests\nin a given amount of time.</p>")],
                  summary: "Apache's own 429 page: a module of httpd refused the request for its rate (mod_qos, mod_ratelimit's neighbours, a RewriteRule [R=429])",
                  checks: ["the server's rate modules (mod_qos, mod_evasive answers 403) and RewriteRules with R=429 for this path", whiteBox],
                  specificity: 62),
        Signature(id: "apache-default-401", product: "Apache httpd", layer: .apache, cause: .unknown, confidence: .likely,
                  statuses: [401], when: [apache, .any([.body("<h1>Unauthorized</h1>"), .body("<h2>Error 401</h2>")] + localized401.map { .body($0) })],
                  summary: "Apache's own 401 page (AuthType with Require valid-user or a user/group)",
                  checks: ["the error log: AH01618 \"user … not found\", AH01617 \"authentication failure … Password Mismatch\"", whiteBox],
                  specificity: 60),
        // The same canned text for 407 (HTTP_PROXY_AUTHENTICATION_REQUIRED): httpd as a forward proxy (mod_proxy with
        // ProxyRequests On) asking for proxy credentials with an AuthType inside its <Proxy> block.
        Signature(id: "apache-default-407", product: "Apache httpd (forward proxy)", layer: .apache, cause: .unknown, confidence: .likely,
                  statuses: [407], when: [.body("<h1>Proxy Authentication Required</h1>"), .body("<p>This server could not verify that you")],
                  summary: "Apache's own 407 page: httpd as a forward proxy asks for proxy credentials (an AuthType in its <Proxy> block)",
                  checks: ["the client must send Proxy-Authorization (curl -x http://proxy:port -U user:password); the error log names a wrong user or password (AH01618, AH01617)", whiteBox],
                  specificity: 60),
    ]
}
