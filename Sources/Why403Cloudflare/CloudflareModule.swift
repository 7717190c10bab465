import Why403Core

/// The Cloudflare layer of why403. Entry point: `CloudflareAnalyzer.analyze(_:)`.
public enum CloudflareModule {}

