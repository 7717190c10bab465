import Why403Core

/// The signature catalogue: one line per product. Each product's signatures live in
/// `Signatures/<Product>.swift`; each signature has a fixture folder `Tests/Fixtures/responses/<id>/`
/// (a completeness test checks both ways). See docs/signatures.md.
public enum Signatures {
    /// Every signature, in catalogue order (the order breaks ties of specificity).
    public static let all: [Signature] = [
        Cloudflare.signatures,
        CloudFront.signatures,
        AWSWAF.signatures,
        APIGateway.signatures,
        S3.signatures,
        GoogleCloudStorage.signatures,
        AzureStorage.signatures,
        Akamai.signatures,
        DataDome.signatures,
        HUMAN.signatures,
        Fastly.signatures,
        AzureFrontDoor.signatures,
        Imperva.signatures,
        Sucuri.signatures,
        Barracuda.signatures,
        F5.signatures,
        ModSecurity.signatures,
        Wordfence.signatures,
        Varnish.signatures,
        HAProxy.signatures,
        Caddy.signatures,
        Traefik.signatures,
        Envoy.signatures,
        LiteSpeed.signatures,
        EdgeWithoutLayerID.signatures,
        Squid.signatures,
        IIS.signatures,
        Nginx.signatures,
        Apache.signatures,
        GitHub.signatures,
        Kubernetes.signatures,
        GoogleAPIs.signatures,
        GoogleCloudEndpoints.signatures,
        AzureResourceManager.signatures,
        MicrosoftGraph.signatures,
        AzureAPIManagement.signatures,
        Kong.signatures,
        APISIX.signatures,
        AWSAPIs.signatures,
        Anthropic.signatures,
        OpenAI.signatures,
        PyPI.signatures,
        PackageRegistries.signatures,
        Telegram.signatures,
        Facebook.signatures,
        HuggingFace.signatures,
        Twilio.signatures,
        Mailchimp.signatures,
        HubSpot.signatures,
        Twitter.signatures,
        Slack.signatures,
        Reddit.signatures,
        Atlassian.signatures,
        Bitbucket.signatures,
        Tyk.signatures,
        Gravitee.signatures,
        OAuth2Proxy.signatures,
        Apigee.signatures,
        WSO2.signatures,
        APIUmbrella.signatures,
        WordPress.signatures,
        Django.signatures,
        Werkzeug.signatures,
        FastAPI.signatures,
        Express.signatures,
        Rails.signatures,
        Okta.signatures,
        Auth0.signatures,
        Keycloak.signatures,
        EntraID.signatures,
        Shopify.signatures,
        Stripe.signatures,
        Imgur.signatures,
        Dropbox.signatures,
        Salesforce.signatures,
        Intuit.signatures,
        Tomcat.signatures,
        Jetty.signatures,
        Spring.signatures,
        Elasticsearch.signatures,
        Vault.signatures,
        Jenkins.signatures,
        JFrog.signatures,
        ContainerRegistry.signatures,
        OAuthJSON.signatures,
        HTTPAuth.signatures,
        Heroku.signatures,
        GitLab.signatures,
        AzureDevOps.signatures,
        ThreeScale.signatures,
        Ocelot.signatures,
        Supabase.signatures,
        Higress.signatures,
        Tornado.signatures,
        AioHTTP.signatures,
        Undertow.signatures,
        Sanic.signatures,
        Slim.signatures,
        FrameworkRateLimiters.signatures,
        CouchDB.signatures,
        RabbitMQ.signatures,
        Gogs.signatures,
        Laravel.signatures,
        GoNetHTTP.signatures,
        Fiber.signatures,
        LokiMimir.signatures,
        Ory.signatures,
        Pomerium.signatures,
        Application.signatures,
    ].flatMap { $0 }

    /// Servers' own 401 pages (nginx's auth_basic, Apache's AuthType, HAProxy's `http-request auth`, LiteSpeed's realms;
    /// nginx's template with its name replaced): without a challenge header they say nothing of the request, and
    /// `ResponseAnalyzer` reads a 401 of theirs as possibly no credentials sent.
    static let credentialPages: Set<String> = ["nginx-default-401", "apache-default-401", "nginx-template-page", "haproxy-401", "litespeed-401"]

    /// Below this specificity a signature only recognises headers a CDN adds to every response it
    /// passes on: it names the path, not necessarily who refused.
    public static let transitSpecificity = 20

    /// The `{"type": "error", "error": {…}}` envelope (Anthropic's API, Bitbucket Cloud's, with or without spaces):
    /// gateways' one-key `{"message": …}` rules step aside for it, as the same sentences appear inside it.
    static let typeErrorEnvelope: Condition = .any([.body("\"type\":\"error\""), .body("\"type\": \"error\"")])

    /// The statuses the generic headers of a CDN are reported for: refusals, not every error it passes on.
    public static let refusals: Set<Int> = [401, 403, 407, 429]

    /// The signature with this id.
    public static func named(_ id: String) -> Signature? { all.first { $0.id == id } }
}
