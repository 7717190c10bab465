import Why403Core

/// Django answering for the application (the `application` layer). Its CSRF middleware refuses with a 403 page whose
/// words are its own, in HTML or as text a client printed: "Forbidden (403)" / "CSRF verification failed. Request
/// aborted." followed by the reason (with DEBUG on) or "More information is available with DEBUG=True." Django REST
/// framework answers in JSON `{"detail": "…"}` with its own sentences: "Authentication credentials were not provided.",
/// "CSRF Failed: …", "You do not have permission to perform this action.", "Request was throttled. …".
enum Django {
    static let signatures: [Signature] = [
        Signature(id: "django-csrf-failure", product: "Django (CSRF middleware)", layer: .application, cause: .appForbidden, confidence: .certain,
                  statuses: [403],
                  when: [.body("CSRF verification failed. Request aborted.")],
                  summary: "Django's CSRF protection refused the request (CSRF verification failed)[: {reason}]",
                  extract: [Extract("reason", "reason", from: [.body(after: "Reason given for the failure:", chars: .line)])],
                  checks: ["a form POST must carry the csrftoken cookie and the csrfmiddlewaretoken field (or X-CSRFToken header) from the same session",
                           "over HTTPS Django checks the Referer/Origin against the host and CSRF_TRUSTED_ORIGINS: a proxy that strips the Referer, or a host missing from CSRF_TRUSTED_ORIGINS (Django 4+ needs the scheme), fails it",
                           "the csrftoken cookie must reach the browser (CSRF_COOKIE_SECURE on plain HTTP, SameSite, a cookie-blocking browser)"],
                  specificity: 70),
        // django.views.defaults.permission_denied without a 403.html template: ERROR_PAGE_TEMPLATE with an empty details
        // paragraph (`<h1>403 Forbidden</h1><p></p>`, Django 2.2+); before it, the bare heading `<h1>403 Forbidden</h1>` as
        // the whole body. A view (or a decorator such as permission_required) raised PermissionDenied.
        Signature(id: "django-permission-denied", product: "Django", layer: .application, cause: .appForbidden, confidence: .likely,
                  statuses: [403],
                  when: [.any([.body("<h1>403 Forbidden</h1><p></p>"), .bodyIs("<h1>403 Forbidden</h1>")])],
                  summary: "the Django application refused the request itself: a view or decorator raised PermissionDenied (Django's default 403 page)",
                  checks: ["the view's permission checks (permission_required, user_passes_test, a has_permission method) and the user's groups and permissions",
                           "Django's log (django.request) names the view; a 403.html template replaces this page"],
                  specificity: 58),
        Signature(id: "drf-detail", product: "Django REST framework", layer: .application, cause: .unknown, confidence: .likely,
                  statuses: [401, 403, 429],
                  when: [.jsonKey(["detail"]),
                         .any([.body("Authentication credentials were not provided."), .body("CSRF Failed:"),
                               .body("You do not have permission to perform this action."), .body("Request was throttled.")])],
                  summary: "Django REST framework refused the request: {detail}",
                  extract: [Extract("detail", "detail", from: [.json("detail")])],
                  checks: ["the view's authentication_classes and permission_classes (settings.REST_FRAMEWORK defaults) decide this answer"],
                  variants: [
                      Variant("detail", ["Authentication credentials were not provided*"], cause: .authMissing, confidence: .certain,
                              summary: "Django REST framework found no credentials its authentication classes accept (Authentication credentials were not provided)",
                              checks: ["the header the authentication class reads (Authorization: Token …/Bearer …) must reach Django: Apache's mod_wsgi drops Authorization unless WSGIPassAuthorization On"]),
                      Variant("detail", ["CSRF Failed*"], cause: .appForbidden, confidence: .certain,
                              summary: "Django REST framework's session authentication refused the request's CSRF check ({detail})"),
                      Variant("detail", ["Request was throttled*"], cause: .rateLimit, confidence: .certain,
                              summary: "Django REST framework's throttling refused the request ({detail})"),
                  ],
                  specificity: 62),
    ]
}
