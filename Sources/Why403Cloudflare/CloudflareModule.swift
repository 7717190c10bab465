import Why403Core

/// The Cloudflare layer of why403. Entry point: `CloudflareAnalyzer.analyze(_:)`.
public enum CloudflareModule {}

extension SubjectKind {
    /// `why403 cloudflare`.
    public static let cloudflare: SubjectKind = "cloudflare"
}
