/// Which layer of the stack decided: the layer ids of report-v1.
///
/// Keep this list and the spec's list the same (a test compares them).
public enum Layer: String, Codable, CaseIterable, Sendable, Hashable {
    case filesystem
    case selinux
    case nginx
    case apache
    case application
    case cloudflare
    case cloudfront
    case awsWAF = "aws-waf"
    case apiGateway = "api-gateway"
    case s3
    case gcs
    case azureStorage = "azure-storage"
    case akamai
    case fastly
    case imperva
    case sucuri
    case modsecurity
    case wordfence
    case f5
    case varnish
    case iis
    case barracuda
    case datadome
    case human
    case haproxy
    case caddy
    case traefik
    case envoy
    case ingressNginx = "ingress-nginx"
    case azureFrontDoor = "azure-front-door"
    case unknown
    case none

    /// The product name as people write it.
    public var displayName: String {
        switch self {
        case .filesystem: "the filesystem"
        case .selinux: "SELinux"
        case .nginx: "nginx"
        case .apache: "Apache httpd"
        case .application: "the application"
        case .cloudflare: "Cloudflare"
        case .cloudfront: "CloudFront"
        case .awsWAF: "AWS WAF"
        case .apiGateway: "API Gateway"
        case .s3: "Amazon S3"
        case .gcs: "Google Cloud Storage"
        case .azureStorage: "Azure Storage"
        case .akamai: "Akamai"
        case .fastly: "Fastly"
        case .imperva: "Imperva"
        case .sucuri: "Sucuri"
        case .modsecurity: "ModSecurity"
        case .wordfence: "Wordfence"
        case .f5: "F5 BIG-IP"
        case .varnish: "Varnish"
        case .iis: "IIS"
        case .barracuda: "Barracuda WAF"
        case .datadome: "DataDome"
        case .human: "HUMAN (PerimeterX)"
        case .haproxy: "HAProxy"
        case .caddy: "Caddy"
        case .traefik: "Traefik"
        case .envoy: "Envoy"
        case .ingressNginx: "ingress-nginx"
        case .azureFrontDoor: "Azure Front Door"
        case .unknown: "an unidentified layer"
        case .none: "nothing"
        }
    }
}

/// How sure a finding is. `certain` only when the evidence proves it.
public enum Confidence: String, Codable, CaseIterable, Sendable, Comparable {
    case certain
    case likely
    case possible

    private var rank: Int { switch self { case .certain: 0; case .likely: 1; case .possible: 2 } }
    /// `certain` sorts before `likely`, before `possible`.
    public static func < (a: Confidence, b: Confidence) -> Bool { a.rank < b.rank }
}
