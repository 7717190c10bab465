import Why403Core

/// Apache Tomcat's own 403 pages: the status report (`HTTP Status 403 – Forbidden` / `HTTP Status 403 -
/// …`, `type Status report`, signed `Apache Tomcat/x.y`) and the Manager application's `403 Access
/// Denied` page ("By default the Manager is only accessible from a browser running on the same machine
/// as Tomcat"), which answers both a RemoteAddrValve refusal and a user without a manager-* role. The
/// `application` layer: the servlet container answered.
enum Tomcat {
    static let signatures: [Signature] = [
        Signature(id: "tomcat-manager-403", product: "Apache Tomcat Manager", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [403],
                  when: [.body("403 Access Denied"), .any([.body("the Manager is only accessible"), .body("Manager's <tt>context.xml</tt>"),
                                                         .body("manager-gui"), .body("manager-script")])],
                  summary: "Tomcat Manager's 403 page: the address is outside its RemoteAddrValve or the user has no manager-gui/manager-script role",
                  checks: ["webapps/manager/META-INF/context.xml: the RemoteAddrValve `allow` pattern (by default only 127.0.0.1 and ::1)",
                           "conf/tomcat-users.xml: the user needs manager-gui for the HTML pages, manager-script for /manager/text (and a restart of Tomcat after editing)"],
                  specificity: 60),
        // The Manager application's 401 page (webapps/manager/WEB-INF/jsp/401.jsp, 7.0 to 11): its Basic login was not
        // given, or not accepted ("please examine the file conf/tomcat-users.xml").
        Signature(id: "tomcat-manager-401", product: "Apache Tomcat Manager", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401],
                  when: [.body("401 Unauthorized"), .body("tomcat-users.xml"), .any([.body("manager-gui"), .body("manager-script")])],
                  summary: "Tomcat Manager's 401 page: it asks for a user of conf/tomcat-users.xml with a manager-* role (none was given, or it was not accepted)",
                  checks: ["conf/tomcat-users.xml: a <user> with the password sent and the role manager-gui (HTML pages) or manager-script (/manager/text), then restart Tomcat",
                           "webapps/manager/META-INF/context.xml: a RemoteAddrValve outside localhost answers 403, not 401"],
                  specificity: 60),
        Signature(id: "tomcat-status-report", product: "Apache Tomcat", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.any([.body("HTTP Status 403"), .body("HTTP Status 401"), .body("HTTP Status 429")]),
                         .any([.body("Apache Tomcat/"), .body("Status report"), .body("The server understood the request but refuses to authorize it"),
                               // the title's en dash is Tomcat's (ErrorReportValve since 7.0.89 / 8.5.12 / 9.0), also with showReport and
                               // showServerInfo off, when the page is the heading alone
                               .body("<h1>HTTP Status 403 – "), .body("<h1>HTTP Status 401 – "), .body("<h1>HTTP Status 429 – ")])],
                  summary: "Tomcat's status report: the container or the web application refused[: {msg}][ ({tomcat})]",
                  extract: [Extract("msg", "message", from: [.body(after: "<b>Message</b>", chars: .line), .body(after: "<b>message</b>", chars: .line),
                                                             .body(after: "message ", chars: .line)]),
                            Extract("tomcat", "server", from: [.body(after: "Apache Tomcat/", chars: .identifier)]),
                            Extract("limited", "429", from: [.body(after: "HTTP Status 429", chars: .line)])],
                  checks: ["the web application's <security-constraint>/<auth-constraint> roles in web.xml and the user's roles in the Realm (tomcat-users.xml, LDAP ...)",
                           "a Valve (RemoteAddrValve, RemoteCIDRValve) in server.xml or the context.xml of this application",
                           "the application's own filters (Spring Security, CSRF) answer 403 through the same page"],
                  variants: [
                      // RateLimitFilter (8.5.89+, 9.0.76+, 10.1.9+) or the application answered 429 through the report
                      Variant("limited", ["*"], cause: .rateLimit, confidence: .likely,
                              summary: "Tomcat answered 429 Too Many Requests: its RateLimitFilter or the application limited the rate[ ({tomcat})]",
                              checks: ["the web application's web.xml (or conf/web.xml) for org.apache.catalina.filters.RateLimitFilter: bucketRequests, bucketDuration",
                                       "the application's own limiter, which answers through the same page"]),
                      // "Access is denied" is Spring Security's AccessDeniedException: an authenticated user without the authority.
                      // A Realm that names the failed check in the message ("PAM authentication failed."): credentials were tried.
                      Variant("msg", ["*authentication failed*"], cause: .authInvalid, confidence: .likely,
                              summary: "Tomcat's status report says the authentication failed[ ({msg})]: the credentials sent were refused by the Realm"),
                      // The application's own words for a bot filter ("HTTP Status 403 - Bots not allowed"): it refused a client it took for a bot.
                      Variant("msg", ["*bots*", "*robot*", "*crawler*"], cause: .botBlock, confidence: .likely,
                              summary: "Tomcat's status report names bots[ ({msg})]: the web application refused a client it took for a bot (its User-Agent or behaviour)",
                              checks: ["send a real browser User-Agent, or ask the site for an API or a crawl allowance", "the application's bot filter (a servlet filter or its framework's) decides on the User-Agent or the request rate"]),
                      // Spring Security's own messages through the page: its CSRF filter, and its entry point for an anonymous caller.
                      Variant("msg", ["*Expected CSRF token not found*", "*Invalid CSRF Token*"], cause: .appForbidden, confidence: .certain,
                              summary: "Tomcat's status report with Spring Security's CSRF refusal ({msg}): the request carried no valid CSRF token"),
                      Variant("msg", ["Full authentication is required*"], cause: .authMissing, confidence: .certain,
                              summary: "Tomcat's status report with Spring Security's \"Full authentication is required to access this resource\": the caller is anonymous (no credentials, or none accepted) and the URL needs a login"),
                      Variant("msg", ["Access is denied*"], cause: .authRole, confidence: .possible,
                              summary: "Tomcat's status report with Spring Security's \"Access is denied\": the user is authenticated but lacks the role or authority this URL needs"),
                  ],
                  specificity: 50),
    ]
}
