import ArgumentParser
import Why403Core
import Why403S3

/// `why403 s3` (cli-v1): evaluates AWS policy logic for one S3 request offline.
struct S3Command: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "s3",
        abstract: "Evaluate AWS policy logic for one S3 request offline: which statement allows or denies, and why.",
        discussion: """
        Explicit and implicit deny, same- and cross-account rules, SCPs, permissions boundaries and session \
        policies, Block Public Access, the ListBucket 403-for-404 rule, CloudFront OAC and SSE-KMS. \
        Nothing is sent to AWS.
        """
    )

    @Option(name: .long, help: "The action, e.g. s3:GetObject (HEAD is s3:GetObject).")
    var action: String

    @Option(name: .long, help: "The resource ARN, e.g. arn:aws:s3:::bucket/key.")
    var resource: String

    @Option(name: .long, help: ArgumentHelp("Who asks: an IAM ARN (user, role, assumed-role session, arn:aws:iam::ID:root), a service name such as cloudfront.amazonaws.com, or '*' (anonymous).", valueName: "arn|*"))
    var principal: String = "*"

    @Option(name: .customLong("bucket-policy"), help: ArgumentHelp("The bucket policy JSON.", valueName: "file"))
    var bucketPolicy: String?

    @Option(name: .customLong("identity-policy"), help: ArgumentHelp("An identity policy of the principal (repeatable).", valueName: "file"))
    var identityPolicies: [String] = []

    @Option(name: .customLong("scp"), help: ArgumentHelp("A service control policy; each file is one level of the organization and must allow (repeatable).", valueName: "file"))
    var scps: [String] = []

    @Option(name: .customLong("permissions-boundary"), help: ArgumentHelp("The principal's permissions boundary policy.", valueName: "file"))
    var permissionsBoundary: String?

    @Option(name: .customLong("session-policy"), help: ArgumentHelp("The session policy of the role session.", valueName: "file"))
    var sessionPolicy: String?

    @Option(name: .customLong("kms-key-policy"), help: ArgumentHelp("The key policy of the object's SSE-KMS key.", valueName: "file"))
    var kmsKeyPolicy: String?

    @Option(name: .long, help: ArgumentHelp("A condition key of the request, KEY=VALUE (repeatable; a repeated KEY is multivalued).", valueName: "key=value"))
    var context: [String] = []

    @Option(name: .customLong("block-public-access"), help: ArgumentHelp("The bucket's PublicAccessBlockConfiguration JSON.", valueName: "file"))
    var blockPublicAccess: String?

    @Flag(name: .customLong("object-missing"), help: "The object does not exist (S3 answers 404 only with s3:ListBucket).")
    var objectMissing = false

    @OptionGroup var output: OutputOptions<ReportFormats>

    func validate() throws {
        try output.checkFormat()
    }

    func run() async throws {
        let input = try S3Analyzer.Input(
            principal: try Principal.parse(principal),
            action: action,
            resource: resource,
            context: try context.map(S3Analyzer.Input.contextPair),
            bucketPolicy: try bucketPolicy.map { try PolicyParser.load(path: $0, kind: .bucket) },
            identityPolicies: try identityPolicies.map { try PolicyParser.load(path: $0, kind: .identity) },
            scps: try scps.map { try PolicyParser.load(path: $0, kind: .scp) },
            permissionsBoundary: try permissionsBoundary.map { try PolicyParser.load(path: $0, kind: .boundary) },
            sessionPolicy: try sessionPolicy.map { try PolicyParser.load(path: $0, kind: .session) },
            kmsKeyPolicy: try kmsKeyPolicy.map { try PolicyParser.load(path: $0, kind: .kmsKey) },
            blockPublicAccess: try blockPublicAccess.map { try PublicAccessBlock.load(path: $0) },
            objectMissing: objectMissing)
        output.emit(S3Analyzer.analyze(input))
    }
}
