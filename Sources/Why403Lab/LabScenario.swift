import Foundation
import Why403Core

/// One misconfiguration the lab builds, explains, and (where the server is installed) reproduces.
///
/// A new scenario is one value in `LabScenario.all`: its files (with `{{DIR}}` and `{{PORT}}` placeholders),
/// the request, and the status and cause a correct diagnosis gives.
public struct LabScenario: Sendable {
    /// Which analyser explains the scenario.
    public enum Kind: String, Sendable { case nginx, apache, response, token, s3, modsecurity, logs, cloudflare, awsWAF = "aws-waf" }

    /// A file to create under the scenario folder. `mode` is applied after writing.
    public struct File: Sendable {
        /// Relative to the scenario folder.
        public var path: String
        /// The file's content.
        public var text: String
        /// The permission bits applied after writing.
        public var mode: Int
        /// A file.
        public init(_ path: String, _ text: String, mode: Int = 0o644) {
            self.path = path
            self.text = text
            self.mode = mode
        }
    }

    /// Stable id (`--only`).
    public var id: String
    /// What an operator would have done to end up here.
    public var story: String
    /// Which analyser explains it.
    public var kind: Kind
    /// Files to create under the scenario folder.
    public var files: [File]
    /// Directories to create with a mode (relative), before files.
    public var directories: [(path: String, mode: Int)]
    /// Request path (nginx/apache), the bundled response file (response), the token (token), the
    /// log files or directories separated by spaces (logs), the rules files separated by spaces (cloudflare), the web
    /// ACL file (aws-waf).
    public var request: String
    /// Request headers (nginx/apache).
    public var headers: [(String, String)]
    /// The client address the request comes from.
    public var clientIP: String
    /// Extra arguments of the analysis (scopes for token, action/resource for s3, url/method/data/ip-set
    /// for the edge rules).
    public var arguments: [String: String]
    /// The status the scenario must be explained with.
    public var expectedStatus: Int
    /// The cause it must be explained with.
    public var expectedCause: Cause
    /// True when the scenario depends on file modes checked as the server's user (needs root to reproduce).
    public var needsRoot: Bool

    /// A scenario.
    public init(id: String, story: String, kind: Kind, files: [File], directories: [(path: String, mode: Int)] = [],
                request: String, headers: [(String, String)] = [], clientIP: String = "127.0.0.1",
                arguments: [String: String] = [:], expectedStatus: Int, expectedCause: Cause, needsRoot: Bool = false) {
        self.id = id
        self.story = story
        self.kind = kind
        self.files = files
        self.directories = directories
        self.request = request
        self.headers = headers
        self.clientIP = clientIP
        self.arguments = arguments
        self.expectedStatus = expectedStatus
        self.expectedCause = expectedCause
        self.needsRoot = needsRoot
    }
}

extension LabScenario {
    /// Every scenario, in the order the tour shows them.
    public static let all: [LabScenario] = nginx + apache + [modsecurityFalsePositive, cloudflare1020, cloudflareHealthCheck, awsWAFUploadSize,
                                                          s3AccessDenied, tokenScope, s3ExplicitDeny, wafBehindALB]

    static func nginxConfig(_ server: String) -> String {
        """
        worker_processes 1;
        {{USER}}
        error_log {{DIR}}/logs/error.log info;
        pid {{DIR}}/logs/nginx.pid;
        events { worker_connections 64; }
        http {
            access_log {{DIR}}/logs/access.log;
            client_body_temp_path {{DIR}}/tmp/body;
            proxy_temp_path {{DIR}}/tmp/proxy;
            fastcgi_temp_path {{DIR}}/tmp/fastcgi;
            uwsgi_temp_path {{DIR}}/tmp/uwsgi;
            scgi_temp_path {{DIR}}/tmp/scgi;
            server {
                listen 127.0.0.1:{{PORT}};
                server_name shop.test;
                root {{DIR}}/www;
                index index.html;
        \(server)
            }
        }

        """
    }

    static let page = "<!doctype html><title>shop</title><p>hello</p>\n"

    static let nginx: [LabScenario] = [
        LabScenario(
            id: "nginx-admin-allowlist",
            story: "nginx: /admin/ is open to the office network only, and you are not in it",
            kind: .nginx,
            files: [File("nginx.conf", nginxConfig("""
                    location /admin/ {
                        allow 10.0.0.0/8;
                        deny all;
                    }
            """)), File("www/index.html", page), File("www/admin/index.html", page)],
            request: "/admin/", clientIP: "127.0.0.1", expectedStatus: 403, expectedCause: .accessIP),
        LabScenario(
            id: "nginx-allowlist-behind-proxy",
            story: "nginx behind a load balancer: the office (10.0.0.0/8) is allowed, but nginx sees the balancer's address, not X-Forwarded-For",
            kind: .nginx,
            files: [File("nginx.conf", nginxConfig("""
                    location /admin/ {
                        allow 10.0.0.0/8;
                        deny all;
                    }
            """)), File("nginx-fixed.conf", nginxConfig("""
                    set_real_ip_from 127.0.0.1;   # the load balancer
                    real_ip_header X-Forwarded-For;
                    location /admin/ {
                        allow 10.0.0.0/8;
                        deny all;
                    }
            """)), File("www/index.html", page), File("www/admin/index.html", page)],
            request: "/admin/", headers: [("X-Forwarded-For", "10.1.2.3")], clientIP: "127.0.0.1",
            expectedStatus: 403, expectedCause: .accessIP),
        // issue 14, part 2: `why403 audit --bypass http://shop.test/admin --nginx nginx.conf` finds the
        // variants the exact-match location leaves to the application; nginx-fixed.conf covers them.
        LabScenario(
            id: "nginx-admin-bypass",
            story: "nginx in front of an application: /admin is refused with an exact-match location, and /ADMIN, /admin/ or /admin..;/ reach the application anyway",
            kind: .nginx,
            files: [File("nginx.conf", nginxConfig("""
                    location = /admin {
                        deny all;
                    }
                    location / {
                        proxy_pass http://127.0.0.1:9;   # the application
                    }
            """)), File("nginx-fixed.conf", nginxConfig("""
                    # every spelling: nginx matches the decoded, merged URI; the application also folds case
                    location ~* ^/admin {
                        deny all;
                    }
                    # path parameters and what is still encoded after nginx's decoding: the application
                    # would strip or decode them again and route to /admin
                    location ~ "[;%]" {
                        return 400;
                    }
                    location / {
                        proxy_set_header X-Original-URL "";
                        proxy_set_header X-Rewrite-URL "";
                        proxy_pass http://127.0.0.1:9;   # the application
                    }
            """)), File("www/index.html", page)],
            request: "/admin", expectedStatus: 403, expectedCause: .accessDeny),
        LabScenario(
            id: "nginx-no-index",
            story: "nginx: a new /docs/ folder was deployed without index.html, and listing is off",
            kind: .nginx,
            files: [File("nginx.conf", nginxConfig("")), File("www/index.html", page), File("www/docs/guide.pdf", "%PDF-1.4\n")],
            request: "/docs/", expectedStatus: 403, expectedCause: .indexMissing),
        LabScenario(
            id: "nginx-file-mode",
            story: "nginx: report.html was copied with mode 600, owned by root",
            kind: .nginx,
            files: [File("nginx.conf", nginxConfig("")), File("www/index.html", page),
                    File("www/report.html", page, mode: 0o600)],
            request: "/report.html", expectedStatus: 403, expectedCause: .fsPermission, needsRoot: true),
        LabScenario(
            id: "nginx-dir-mode",
            story: "nginx: the uploads folder is 700, so the worker cannot even enter it",
            kind: .nginx,
            files: [File("nginx.conf", nginxConfig("")), File("www/index.html", page),
                    File("www/uploads/photo.txt", "a photo\n")],
            directories: [("www/uploads", 0o700)],
            request: "/uploads/photo.txt", expectedStatus: 403, expectedCause: .fsPermission, needsRoot: true),
        LabScenario(
            id: "nginx-hidden-files",
            story: "nginx: a rule hides dot-files, and someone asks for /.env",
            kind: .nginx,
            files: [File("nginx.conf", nginxConfig("""
                    location ~ /\\. {
                        deny all;
                    }
            """)), File("www/index.html", page), File("www/.env", "SECRET=1\n")],
            request: "/.env", expectedStatus: 403, expectedCause: .accessDeny),
        LabScenario(
            id: "nginx-hotlink",
            story: "nginx: images refuse other sites' Referer (hotlink protection)",
            kind: .nginx,
            files: [File("nginx.conf", nginxConfig("""
                    location /img/ {
                        valid_referers none blocked server_names;
                        if ($invalid_referer) {
                            return 403;
                        }
                    }
            """)), File("www/index.html", page), File("www/img/logo.txt", "logo\n")],
            request: "/img/logo.txt", headers: [("Referer", "https://elsewhere.example/page")],
            expectedStatus: 403, expectedCause: .hotlinkReferer),
    ]

    static func apacheConfig(_ body: String) -> String {
        """
        ServerRoot "{{DIR}}"
        DefaultRuntimeDir "{{DIR}}"
        PidFile "{{DIR}}/httpd.pid"
        Listen 127.0.0.1:{{PORT}}
        LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
        LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
        LoadModule authz_host_module /usr/lib/apache2/modules/mod_authz_host.so
        LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
        LoadModule autoindex_module /usr/lib/apache2/modules/mod_autoindex.so
        {{USER}}
        ServerName shop.test
        ErrorLog "{{DIR}}/error.log"
        LogLevel info
        DocumentRoot "{{DIR}}/www"
        DirectoryIndex index.html
        <Directory />
            AllowOverride None
            Require all denied
        </Directory>
        \(body)

        """
    }

    static let apache: [LabScenario] = [
        LabScenario(
            id: "apache-htaccess-deny",
            story: "Apache: an .htaccess in /private/ says Require all denied",
            kind: .apache,
            files: [File("httpd.conf", apacheConfig("""
            <Directory "{{DIR}}/www">
                Options -Indexes
                AllowOverride All
                Require all granted
            </Directory>
            """)), File("www/index.html", page), File("www/private/index.html", page),
                    File("www/private/.htaccess", "Require all denied\n")],
            request: "/private/", expectedStatus: 403, expectedCause: .accessDeny),
        LabScenario(
            id: "apache-ignored-htaccess",
            story: "Apache: /reports/ is denied in the config; the .htaccess meant to open it is ignored (AllowOverride None)",
            kind: .apache,
            files: [File("httpd.conf", apacheConfig("""
            <Directory "{{DIR}}/www">
                Options -Indexes
                AllowOverride None
                Require all granted
            </Directory>
            <Directory "{{DIR}}/www/reports">
                Require all denied
            </Directory>
            """)), File("www/index.html", page), File("www/reports/index.html", page),
                    File("www/reports/.htaccess", "Require all granted\n")],
            request: "/reports/", expectedStatus: 403, expectedCause: .accessDeny),
        LabScenario(
            id: "apache-no-indexes",
            story: "Apache: /files/ has no index.html and Options -Indexes",
            kind: .apache,
            files: [File("httpd.conf", apacheConfig("""
            <Directory "{{DIR}}/www">
                Options -Indexes
                AllowOverride None
                Require all granted
            </Directory>
            """)), File("www/index.html", page), File("www/files/a.txt", "a\n")],
            request: "/files/", expectedStatus: 403, expectedCause: .indexMissing),
    ]

    static let cloudflare1020 = LabScenario(
        id: "cloudflare-1020",
        story: "a saved response: Cloudflare's firewall blocked the request (error 1020)",
        kind: .response,
        files: [File("response.http", """
        HTTP/2 403\r
        date: Sun, 29 Nov 2026 09:00:00 GMT\r
        content-type: text/html; charset=UTF-8\r
        server: cloudflare\r
        cf-ray: 8a1b2c3d4e5f6789-FRA\r
        \r
        <!DOCTYPE html>
        <html><head><title>Access denied | shop.example used Cloudflare to restrict access</title></head>
        <body><div id="cf-wrapper"><h1><span class="cf-error-type">Error</span><span class="cf-error-code">1020</span></h1>
        <h2 class="cf-subheadline">Access denied</h2>
        <p>This website is using a security service to protect itself from online attacks.</p>
        <p>The site owner may have set restrictions that prevent you from accessing the site.</p>
        <span class="cf-footer-item">Cloudflare Ray ID: <strong class="font-semibold">8a1b2c3d4e5f6789</strong></span>
        </div></body></html>

        """)],
        request: "response.http", expectedStatus: 403, expectedCause: .wafRule)

    /// The balancer's log says only that AWS WAF rejected the requests (`actions_executed` "waf",
    /// no target); the WAF log of the same minute names the managed rule. Read together, each refusal
    /// is explained by the rule (layouts: Tests/Fixtures/logs/edge/SOURCE.md). Both are read from their
    /// directory, as `why403 logs DIR` reads the logs synced from a bucket.
    static let wafBehindALB = LabScenario(
        id: "aws-waf-behind-alb",
        story: "the load balancer's log shows 403s no target answered; the AWS WAF log of the same minute says which rule",
        kind: .logs,
        files: [
            File("logs/alb.log", """
            https 2026-11-29T09:30:17.201562Z app/shop-alb/50dc6c495c0c9188 203.0.113.9:46532 - -1 -1 -1 403 - 136 298 "GET https://shop.example.com:443/search?q=1%27%20OR%201=1 HTTP/1.1" "sqlmap/1.7.2" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/73e2d6bc24d8a067 "Root=1-6578a0b1-58337262a36d228ad5d99923" "shop.example.com" "-" 0 2026-11-29T09:30:17.000000Z "waf" "-" "-" "-" "-" "-" "-" TID_1
            https 2026-11-29T09:30:18.301562Z app/shop-alb/50dc6c495c0c9188 203.0.113.9:46534 - -1 -1 -1 403 - 136 298 "GET https://shop.example.com:443/search?q=2%27-- HTTP/1.1" "sqlmap/1.7.2" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/73e2d6bc24d8a067 "Root=1-6578a0b2-58337262a36d228ad5d99923" "shop.example.com" "-" 0 2026-11-29T09:30:18.000000Z "waf" "-" "-" "-" "-" "-" "-" TID_2
            https 2026-11-29T09:30:19.500562Z app/shop-alb/50dc6c495c0c9188 192.0.2.10:60114 10.0.1.17:8080 0.000 0.004 0.000 200 200 120 5120 "GET https://shop.example.com:443/ HTTP/1.1" "Mozilla/5.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop/73e2d6bc24d8a067 "Root=1-6578a0b3-58337262a36d228ad5d99923" "shop.example.com" "-" 0 2026-11-29T09:30:19.000000Z "waf,forward" "-" "-" "10.0.1.17:8080" "200" "-" "-" TID_3

            """),
            File("logs/waf.log", """
            {"timestamp":1795944617000,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop-acl/a1b2c3d4","terminatingRuleId":"AWS-AWSManagedRulesSQLiRuleSet","terminatingRuleType":"MANAGED_RULE_GROUP","action":"BLOCK","terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":"123456789012-app/shop-alb/50dc6c495c0c9188","ruleGroupList":[{"ruleGroupId":"AWS#AWSManagedRulesSQLiRuleSet","terminatingRule":{"ruleId":"SQLi_QUERYARGUMENTS","action":"BLOCK"}}],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"httpRequest":{"clientIp":"203.0.113.9","country":"US","headers":[{"name":"User-Agent","value":"sqlmap/1.7.2"}],"uri":"/search","args":"q=1%27%20OR%201=1","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"1-6578a0b1"},"labels":[{"name":"awswaf:managed:aws:sql-database:SQLi_QueryArguments"}]}
            {"timestamp":1795944618000,"formatVersion":1,"webaclId":"arn:aws:wafv2:us-east-1:123456789012:regional/webacl/shop-acl/a1b2c3d4","terminatingRuleId":"AWS-AWSManagedRulesSQLiRuleSet","terminatingRuleType":"MANAGED_RULE_GROUP","action":"BLOCK","terminatingRuleMatchDetails":[],"httpSourceName":"ALB","httpSourceId":"123456789012-app/shop-alb/50dc6c495c0c9188","ruleGroupList":[{"ruleGroupId":"AWS#AWSManagedRulesSQLiRuleSet","terminatingRule":{"ruleId":"SQLi_QUERYARGUMENTS","action":"BLOCK"}}],"rateBasedRuleList":[],"nonTerminatingMatchingRules":[],"httpRequest":{"clientIp":"203.0.113.9","country":"US","headers":[{"name":"User-Agent","value":"sqlmap/1.7.2"}],"uri":"/search","args":"q=2%27--","httpVersion":"HTTP/1.1","httpMethod":"GET","requestId":"1-6578a0b2"},"labels":[{"name":"awswaf:managed:aws:sql-database:SQLi_QueryArguments"}]}

            """),
        ],
        request: "logs", expectedStatus: 403, expectedCause: .wafRule)

    static let s3AccessDenied = LabScenario(
        id: "s3-access-denied",
        story: "a saved response: S3 says AccessDenied, which alone cannot tell why",
        kind: .response,
        files: [File("s3.http", """
        HTTP/1.1 403 Forbidden\r
        x-amz-request-id: 4442587FB7D0A2F9\r
        x-amz-id-2: vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=\r
        Content-Type: application/xml\r
        Server: AmazonS3\r
        \r
        <?xml version="1.0" encoding="UTF-8"?>
        <Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo=</HostId></Error>

        """)],
        request: "s3.http", expectedStatus: 403, expectedCause: .unknown)

    /// An unsigned token (alg HS256, signature not checked in the lab) with scope "read:profile write:profile".
    static let tokenScope = LabScenario(
        id: "token-missing-scope",
        story: "an API token is valid but lacks the scope admin:reports the endpoint requires",
        kind: .token,
        files: [],
        request: "token",
        arguments: ["scope": "admin:reports"],
        expectedStatus: 403, expectedCause: .authScope)

    static let s3ExplicitDeny = LabScenario(
        id: "s3-explicit-deny",
        story: "S3: a bucket policy denies every request not made over TLS",
        kind: .s3,
        files: [File("bucket-policy.json", """
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Sid": "AllowAppRole",
              "Effect": "Allow",
              "Principal": {"AWS": "arn:aws:iam::111122223333:role/app"},
              "Action": "s3:GetObject",
              "Resource": "arn:aws:s3:::shop-assets/*"
            },
            {
              "Sid": "DenyInsecureTransport",
              "Effect": "Deny",
              "Principal": "*",
              "Action": "s3:*",
              "Resource": ["arn:aws:s3:::shop-assets", "arn:aws:s3:::shop-assets/*"],
              "Condition": {"Bool": {"aws:SecureTransport": "false"}}
            }
          ]
        }

        """)],
        request: "bucket-policy.json",
        arguments: ["action": "s3:GetObject", "resource": "arn:aws:s3:::shop-assets/logo.png",
                    "principal": "arn:aws:iam::111122223333:role/app", "context": "aws:SecureTransport=false"],
        expectedStatus: 403, expectedCause: .policyExplicitDeny)
}

extension LabScenario {
    /// The scenario's request to `url`, as Core's request value.
    func request(url: String) throws -> Request {
        try Request(method: "GET", url: url, headers: headers.map { (name: $0.0, value: $0.1) }, clientIP: clientIP)
    }

    /// A legitimate request blocked by the OWASP CRS, explained by the real engine (libmodsecurity 3),
    /// with the exclusion; the real Apache (mod_security2) answers 403 before and 200 after it.
    /// `{{MODSEC}}` becomes the installed CRS's configuration (`RuleSource.configuration`).
    static let modsecurityFalsePositive = LabScenario(
        id: "modsecurity-crs-false-positive",
        story: "ModSecurity + OWASP CRS: a SQL course's search box blocks the query a student types",
        kind: .modsecurity,
        files: [File("httpd.conf", apacheConfig("""
        LoadModule unique_id_module /usr/lib/apache2/modules/mod_unique_id.so
        LoadModule security2_module /usr/lib/apache2/modules/mod_security2.so
        SecDataDir {{DIR}}/tmp
        SecTmpDir {{DIR}}/tmp
        Include {{DIR}}/modsec.conf
        <Directory "{{DIR}}/www">
            Require all granted
        </Directory>
        """)), File("modsec.conf", "{{MODSEC}}"), File("www/index.html", page), File("www/lessons", page)],
        request: "/lessons?q=select+name+from+students+where+id%3D1+or+1%3D1",
        headers: [("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
                  ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")],
        expectedStatus: 403, expectedCause: .wafRule)
}
